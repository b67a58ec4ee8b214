// RBAC decisions per second with 10,000 role bindings: 2,000 users in 50 groups over 100
// namespaces, each user bound in up to five namespaces by RoleBindings to a Role or ClusterRole,
// groups bound cluster-wide to view-like roles. Requests mix allowed and denied decisions.
// `bench/authz.ts` calls measureAuthzDecisions(); run alone: `npm run bench -- authzDecisions`.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createDecider } from "../orchestrator/auth/rbac/authorizer.js";
import { PolicyCache } from "../orchestrator/auth/rbac/cache.js";
import { RuleResolver } from "../orchestrator/auth/rbac/resolver.js";
import { applyObject } from "../orchestrator/auth/rbac/source.js";
import type { AuthzAttributes, UserInfo } from "../orchestrator/auth/types.js";
import { seededRandom } from "../core/random.js";

export interface AuthzBenchOptions {
  /** RoleBindings to create (default 10,000). */
  bindings?: number;
  /** How long to decide for, per phase (default 2,000 ms). */
  durationMs?: number;
}

export interface AuthzBenchFigures {
  bindings: number;
  /** Synchronous decisions per second (the cache lookups alone). */
  decisionsPerSecond: number;
  /** Through the async Authorizer interface, as the request pipeline calls it. */
  authorizePerSecond: number;
  /** Share of the measured decisions that were allowed. */
  allowedShare: number;
}

const USERS = 2_000;
const GROUPS = 50;
const NAMESPACES = 100;
const RESOURCES = ["pods", "configmaps", "secrets", "services", "deployments", "jobs"];
const VERBS = ["get", "list", "watch", "create", "update", "delete"];

function buildPolicy(bindings: number): PolicyCache {
  const cache = new PolicyCache();
  let rev = 1;
  const put = (resource: "roles" | "clusterroles" | "rolebindings" | "clusterrolebindings", obj: Record<string, unknown>, ref: { namespace?: string; name: string }) =>
    applyObject(cache, resource, obj, ref, rev++);
  const rule = (verbs: string[], resources: string[]) => ({ verbs, apiGroups: ["", "apps", "batch"], resources });
  put("clusterroles", { metadata: { name: "reader" }, rules: [rule(["get", "list", "watch"], ["pods", "services", "configmaps"])] }, { name: "reader" });
  put("clusterroles", { metadata: { name: "deployer" }, rules: [rule(["*"], ["deployments", "jobs"]), rule(["get"], ["pods"])] }, { name: "deployer" });
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `ns-${n}`;
    put("roles", { metadata: { namespace, name: "cm-editor" }, rules: [rule(["create", "update", "delete"], ["configmaps"])] }, { namespace, name: "cm-editor" });
  }
  for (let g = 0; g < GROUPS; g++) {
    const name = `group-${g}-reads`;
    put("clusterrolebindings", { metadata: { name }, roleRef: { kind: "ClusterRole", name: g % 5 === 0 ? "reader" : "none" }, subjects: [{ kind: "Group", name: `group-${g}` }] }, { name });
  }
  for (let i = 0; i < bindings; i++) {
    // User u's k-th binding lives in namespace 7u + k, so requests can aim at bound namespaces.
    const namespace = `ns-${(7 * (i % USERS) + Math.floor(i / USERS)) % NAMESPACES}`;
    const name = `rb-${i}`;
    const roleRef = i % 2 === 0 ? { kind: "Role", name: "cm-editor" } : { kind: "ClusterRole", name: "deployer" };
    const subject = i % 10 === 0 ? { kind: "Group", name: `group-${i % GROUPS}` } : { kind: "User", name: `user-${i % USERS}` };
    put("rolebindings", { metadata: { namespace, name }, roleRef, subjects: [subject] }, { namespace, name });
  }
  return cache;
}

function requests(count: number): AuthzAttributes[] {
  const rnd = seededRandom(7);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)] ?? list[0];
  const out: AuthzAttributes[] = [];
  for (let i = 0; i < count; i++) {
    const u = Math.floor(rnd() * USERS);
    const user: UserInfo = { username: `user-${u}`, groups: [`group-${u % GROUPS}`, "system:authenticated"] };
    const resource = pick(RESOURCES);
    // Half the requests go to a namespace where the user holds a binding, half anywhere.
    const n = rnd() < 0.5 ? 7 * u + Math.floor(rnd() * 5) : Math.floor(rnd() * NAMESPACES);
    const apiGroup = resource === "deployments" ? "apps" : resource === "jobs" ? "batch" : "";
    out.push({ user, verb: pick(VERBS), resourceRequest: true, apiGroup, resource, namespace: `ns-${n % NAMESPACES}` });
  }
  return out;
}

export async function measureAuthzDecisions(options: AuthzBenchOptions = {}): Promise<AuthzBenchFigures> {
  const bindings = options.bindings ?? 10_000;
  const durationMs = options.durationMs ?? 2_000;
  const decider = createDecider(new RuleResolver(buildPolicy(bindings)));
  const reqs = requests(4_096);
  let allowed = 0;
  let done = 0;
  let start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 1_000; i++) if (decider.decide(reqs[(done + i) & 4095]).allowed) allowed++;
    done += 1_000;
  }
  const decisionsPerSecond = done / ((performance.now() - start) / 1000);
  const authorizer = { authorize: async (a: AuthzAttributes) => decider.decide(a) };
  let viaAsync = 0;
  start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 1_000; i++) await authorizer.authorize(reqs[(viaAsync + i) & 4095]);
    viaAsync += 1_000;
  }
  const authorizePerSecond = viaAsync / ((performance.now() - start) / 1000);
  return { bindings, decisionsPerSecond, authorizePerSecond, allowedShare: allowed / done };
}

export function formatAuthzFigures(f: AuthzBenchFigures): string {
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  return [
    `RBAC decisions with ${n(f.bindings)} role bindings (${Math.round(f.allowedShare * 100)}% allowed):`,
    `  decide (sync):        ${n(f.decisionsPerSecond)} decisions/s`,
    `  authorize (async):    ${n(f.authorizePerSecond)} decisions/s`,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${formatAuthzFigures(await measureAuthzDecisions())}\n`);
}
