// OpenAPI documents generated from the Kubernetes type catalogue and the resource registry.
export { registerOpenApiRoutes } from "./routes.js";
export { OpenApiDocuments, type OpenApiOptions, type RenderedDocument } from "./documents.js";
