// Hosted git repositories over smart HTTP (git http-backend), authenticated by token.
export { registerHostedGitRoutes, type HostedGitRouteOptions, type HostedLogger } from "./routes.js";
export { createHostedRepo, type CreateHostedRepoOptions, type HostedRepo } from "./repos.js";
export { staticTokens, tokenFromAuthorization, type TokenVerifier } from "./auth.js";
export { hostedRepoDir, isValidRepoName, REPO_NAME } from "./names.js";
