// Request security of the built-in cluster: authentication, impersonation, the pipeline that
// authorizes every request, the audit log, TokenRequest, and the cluster's PKI.
export type { UserInfo, Authenticator, AuthnRequest, AuthnResult, Authorizer, AuthzAttributes, AuthzDecision } from "./types.js";
export { parseRequestInfo, splitUrl, type RequestInfo, type RequestInfoInput } from "./requestInfo.js";
export { forbiddenMessage, forbiddenStatus, unauthorizedStatus } from "./status.js";
export { registerAuthPipeline, PUBLIC_PATHS, type AuthPipelineOptions } from "./pipeline.js";
export { impersonate, ANONYMOUS_USER, UNAUTHENTICATED_GROUP } from "./impersonation.js";
export { FileAuditLog, MemoryAuditLog, type AuditEvent, type AuditSink } from "./audit.js";
export { createAuthPlugin, serviceAccountLookup, type AuthPlugin, type AuthPluginOptions } from "./plugin.js";
export { registerAuthenticationReviewRoutes, userInfoJson, AUTHENTICATION_RESOURCES, type AuthenticationReviewOptions } from "./authenticationReviews.js";
export { unionAuthenticator, AUTHENTICATED_GROUP } from "./authn/union.js";
export { createX509Authenticator, userFromCertificate } from "./authn/x509.js";
export { createTokenFileAuthenticator, parseTokenFile, loadTokenFile, type TokenEntry } from "./authn/tokenFile.js";
export { ServiceAccountTokens, createServiceAccountAuthenticator, serviceAccountUsername, DEFAULT_ISSUER } from "./authn/serviceAccount.js";
export { jwtKeyFromPem, signJwt, verifyJwt } from "./authn/jwt.js";
export { loadOrCreatePki, pkiDir, PKI_FILES, type ClusterPki } from "./pki/files.js";
export { createCa, issueClientCert, issueServingCert, type CertPair, type Subject } from "./pki/certs.js";
export * from "./identities.js";
