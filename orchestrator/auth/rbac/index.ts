// RBAC for the built-in cluster (Kubernetes' semantics). The API server's auth plugin wires it:
//
//   createAuthPlugin({ authorizer: (env) => createRbacAuthorizer({ env }),
//                      routes: (app, { env, authorizer }) => registerAccessReviewRoutes(app, { env, authorizer }) })
//
// createRbacAuthorizer reconciles the default policy, keeps an indexed cache of roles and
// bindings current from the server's store and its own writes, adds the escalation check to
// RBAC writes and runs ClusterRole aggregation. registerAccessReviewRoutes serves
// authorization.k8s.io/v1 (SubjectAccessReview and friends) and registers it for discovery.
export { createRbacAuthorizer, type RbacAuthorizer, type RbacAuthorizerOptions } from "./rbacAuthorizer.js";
export { registerAccessReviewRoutes, type AccessReviewOptions } from "./reviews.js";
export { SUPERUSER_GROUP, createDecider, type RbacAuthorizerCore } from "./authorizer.js";
export { PolicyCache, subjectKey, userKeys, type RbacResource } from "./cache.js";
export { RuleResolver, describeBinding } from "./resolver.js";
export { ruleAllows } from "./match.js";
export { covers, compactRules, compactString, breakdownRule } from "./covers.js";
export { checkEscalation } from "./escalation.js";
export { aggregatedRules } from "./aggregation.js";
export { reconcileBootstrapPolicy, DEFAULT_CLUSTER_ROLES, DEFAULT_CLUSTER_ROLE_BINDINGS, AUTOUPDATE } from "./bootstrap/reconcile.js";
export { GITOPS_CONTROLLER_USER } from "./bootstrap/systemRoles.js";
export { parseBinding, parseRole, parseRules, RBAC_GROUP, type BindingEntry, type PolicyRule, type RoleEntry, type RoleRef, type Subject } from "./policy.js";
