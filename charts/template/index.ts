// The template engine's public API.
export { renderChart } from "./render.js";
export { MAX_INCLUDE_DEPTH } from "./engine.js";
export { chartObject } from "./context.js";
export { toYaml } from "./helpers/serialise.js";
export type { LookupFn, RenderOptions, RenderedTemplates, RootContext } from "./types.js";
