// Webhook receiver: push events from GitHub, Gitea and GitLab as RepoChange hints.
export { registerWebhookRoutes, type WebhookRouteOptions, type WebhookSecretLookup, type WebhookSecrets } from "./routes.js";
export { parsePush, type PushInfo, type WebhookProvider } from "./payload.js";
export { tokensEqual, verifyGitHubSignature, verifyHmacSha256 } from "./signature.js";
