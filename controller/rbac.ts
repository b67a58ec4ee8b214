// What the GitOps controller may do under its own identity, checked before it starts (`berth
// controller run`): who it is (SelfSubjectReview), and whether it may watch Applications
// cluster-wide and deploy into every namespace (SelfSubjectAccessReviews). A missing
// cluster-wide right is an error naming the ClusterRoleBinding to create; missing namespace
// rights are bound on first start when the identity may create ClusterRoleBindings, else
// reported (per-namespace RoleBindings are a valid choice, so the controller still starts).
import { BerthError } from "../core/errors.js";
import { apiStatusOf, isRecord, type KubeClient, type Unstructured } from "../kube/client/index.js";

export const CLUSTER_ROLE = "berth:gitops-controller:cluster";
export const NAMESPACE_ROLE = "berth:gitops-controller";
export const NAMESPACES_BINDING = "berth:gitops-controller:namespaces";

/** The controller's identity lacks a right it cannot run without. */
export class ControllerForbiddenError extends BerthError {
  override readonly code: string = "CONTROLLER_FORBIDDEN";
  override readonly exitCode = 4;
  override readonly httpStatus = 403;
}

export interface RbacRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface ControllerRbacOptions {
  client: KubeClient;
  /** The two ClusterRoles, for clusters that do not define them (any cluster but berth's). */
  roles: { cluster: RbacRule[]; namespaces: RbacRule[] };
  log: (message: string) => void;
}

interface Access {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
}

const CLUSTER_NEEDS: Access[] = [
  { verb: "watch", group: "berth.dev", resource: "applications" },
  { verb: "update", group: "berth.dev", resource: "applications/status" },
  { verb: "get", group: "apiextensions.k8s.io", resource: "customresourcedefinitions" },
];
/** A sample of the namespaced rights (all namespaces): enough to tell whether the binding exists. */
const NAMESPACE_NEEDS: Access[] = [
  { verb: "patch", group: "apps", resource: "deployments" },
  { verb: "patch", group: "", resource: "configmaps" },
];

export async function whoAmI(client: KubeClient): Promise<string> {
  try {
    const review = await client.create({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: {} });
    const status = isRecord(review.status) ? review.status : {};
    const info = isRecord(status.userInfo) ? status.userInfo : {};
    return typeof info.username === "string" && info.username ? info.username : "(unknown user)";
  } catch {
    return "(unknown user)";
  }
}

export async function mayI(client: KubeClient, access: Access): Promise<boolean> {
  const review = await client.create({
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    metadata: {},
    spec: { resourceAttributes: { verb: access.verb, group: access.group, resource: access.resource.split("/")[0], subresource: access.resource.split("/")[1], namespace: access.namespace } },
  });
  return isRecord(review.status) && review.status.allowed === true;
}

function bindCommand(binding: string, role: string, user: string): string {
  return `kubectl create clusterrolebinding ${binding} --clusterrole=${role} --user=${user}`;
}

/** Checks (and, when it may, grants) what the controller needs; throws ControllerForbiddenError naming the binding. */
export async function ensureControllerRbac(options: ControllerRbacOptions): Promise<void> {
  const { client, log } = options;
  const user = await whoAmI(client);
  const missing: string[] = [];
  for (const a of CLUSTER_NEEDS) if (!(await mayI(client, a))) missing.push(`${a.verb} ${a.resource}.${a.group}`);
  if (missing.length > 0) {
    throw new ControllerForbiddenError(
      `the controller's identity ${user} may not ${missing.join(", ")} cluster-wide: ClusterRoleBinding ${CLUSTER_ROLE} (ClusterRole ${CLUSTER_ROLE} → User ${user}) is missing; as an admin run: ${bindCommand(CLUSTER_ROLE, CLUSTER_ROLE, user)} (or \`berth controller rbac --user ${user} | kubectl apply -f -\`)`,
    );
  }
  const namespaced = await Promise.all(NAMESPACE_NEEDS.map((a) => mayI(client, a)));
  if (namespaced.every(Boolean)) return;
  if (await mayI(client, { verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" })) {
    try {
      for (const obj of controllerRbacObjects({ user, roles: options.roles }).filter((o) => o.metadata.name === NAMESPACE_ROLE || o.metadata.name === NAMESPACES_BINDING)) {
        await createIfMissing(client, obj);
      }
      log(`bound ClusterRole ${NAMESPACE_ROLE} to ${user} in every namespace (ClusterRoleBinding ${NAMESPACES_BINDING})`);
      return;
    } catch (err) {
      if (apiStatusOf(err)?.code !== 403) throw err;
    }
  }
  log(
    `warning: ${user} may not deploy into every namespace: ClusterRoleBinding ${NAMESPACES_BINDING} is missing; syncs into a namespace without a RoleBinding of ${NAMESPACE_ROLE} fail with Forbidden. As an admin run: ${bindCommand(NAMESPACES_BINDING, NAMESPACE_ROLE, user)}`,
  );
}

async function createIfMissing(client: KubeClient, obj: Unstructured): Promise<void> {
  try {
    await client.create(obj);
  } catch (err) {
    if (apiStatusOf(err)?.code !== 409) throw err;
  }
}

/** The ClusterRoles and ClusterRoleBindings the controller needs, for `user`. */
export function controllerRbacObjects(options: { user: string; roles: ControllerRbacOptions["roles"] }): Unstructured[] {
  const rbac = "rbac.authorization.k8s.io";
  const role = (name: string, rules: RbacRule[]): Unstructured => ({ apiVersion: `${rbac}/v1`, kind: "ClusterRole", metadata: { name }, rules });
  const binding = (name: string, roleName: string): Unstructured => ({
    apiVersion: `${rbac}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: rbac, kind: "ClusterRole", name: roleName },
    subjects: [{ apiGroup: rbac, kind: "User", name: options.user }],
  });
  return [
    role(CLUSTER_ROLE, options.roles.cluster),
    role(NAMESPACE_ROLE, options.roles.namespaces),
    binding(CLUSTER_ROLE, CLUSTER_ROLE),
    binding(NAMESPACES_BINDING, NAMESPACE_ROLE),
  ];
}
