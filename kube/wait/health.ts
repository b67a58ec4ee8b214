// Health per kind, as pure functions of the live object (model: Argo CD's gitops-engine
// health checks and Helm's ReadyChecker). Missing: not there; Progressing: on its way;
// Degraded: failed in a way waiting will not fix; Healthy: ready. Kinds without a rule are
// healthy once they exist.
import { isRecord, type Unstructured } from "../client/objects.js";

export type HealthStatus = "Healthy" | "Progressing" | "Degraded" | "Missing";

export interface Health {
  status: HealthStatus;
  message: string;
}

export interface HealthContext {
  /** The Endpoints object of the same name, for Services. */
  endpoints?: Unstructured;
}

type Check = (obj: Unstructured, ctx: HealthContext) => Health;

const healthy = (message = "ready"): Health => ({ status: "Healthy", message });
const progressing = (message: string): Health => ({ status: "Progressing", message });
const degraded = (message: string): Health => ({ status: "Degraded", message });

function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

function num(v: unknown, fallback = 0): number {
  return typeof v === "number" ? v : fallback;
}

function condition(obj: Unstructured, type: string): Record<string, unknown> | undefined {
  const conds = rec(obj.status).conditions;
  return Array.isArray(conds) ? conds.filter(isRecord).find((c) => c.type === type) : undefined;
}

/** The controller has not seen the latest spec yet. */
function notObserved(obj: Unstructured): Health | undefined {
  const observed = rec(obj.status).observedGeneration;
  const generation = obj.metadata.generation;
  if (typeof generation === "number" && (typeof observed !== "number" || observed < generation)) {
    return progressing("waiting for the controller to observe the latest spec");
  }
  return undefined;
}

const deployment: Check = (obj) => {
  const waiting = notObserved(obj);
  if (waiting) return waiting;
  const progress = condition(obj, "Progressing");
  if (progress?.reason === "ProgressDeadlineExceeded") return degraded(`rollout stuck: ${String(progress.message ?? "progress deadline exceeded")}`);
  const s = rec(obj.status);
  const want = num(rec(obj.spec).replicas, 1);
  const updated = num(s.updatedReplicas);
  const total = num(s.replicas);
  const available = num(s.availableReplicas);
  if (updated < want) return progressing(`${updated} of ${want} replicas updated`);
  if (total > updated) return progressing(`${total - updated} old replicas pending termination`);
  if (available < updated) return progressing(`${available} of ${updated} updated replicas available`);
  return healthy(`${available} of ${want} replicas available`);
};

const statefulSet: Check = (obj) => {
  const waiting = notObserved(obj);
  if (waiting) return waiting;
  const s = rec(obj.status);
  const want = num(rec(obj.spec).replicas, 1);
  const ready = num(s.readyReplicas);
  if (ready < want) return progressing(`${ready} of ${want} replicas ready`);
  const strategy = rec(rec(obj.spec).updateStrategy);
  if (strategy.type !== "OnDelete") {
    const partition = num(rec(strategy.rollingUpdate).partition);
    const updated = num(s.updatedReplicas);
    if (updated < want - partition) return progressing(`${updated} of ${want - partition} replicas updated`);
    if (partition === 0 && s.updateRevision && s.currentRevision !== s.updateRevision) return progressing("rolling update in progress");
  }
  return healthy(`${ready} of ${want} replicas ready`);
};

const daemonSet: Check = (obj) => {
  const waiting = notObserved(obj);
  if (waiting) return waiting;
  const s = rec(obj.status);
  const want = num(s.desiredNumberScheduled);
  const updated = num(s.updatedNumberScheduled);
  const available = num(s.numberAvailable);
  if (updated < want) return progressing(`${updated} of ${want} pods updated`);
  if (available < want) return progressing(`${available} of ${want} pods available`);
  return healthy(`${available} of ${want} pods available`);
};

const job: Check = (obj) => {
  const failed = condition(obj, "Failed");
  if (failed?.status === "True") return degraded(`job failed: ${String(failed.reason ?? "")}${failed.message ? ` (${String(failed.message)})` : ""}`);
  if (condition(obj, "Complete")?.status === "True") return healthy("complete");
  const s = rec(obj.status);
  return progressing(`${num(s.succeeded)} succeeded, ${num(s.active)} active`);
};

const pvc: Check = (obj) => {
  const phase = rec(obj.status).phase;
  if (phase === "Bound") return healthy("bound");
  if (phase === "Lost") return degraded("claim lost its volume");
  return progressing(`${typeof phase === "string" ? phase : "Pending"}: waiting for a volume`);
};

const service: Check = (obj, ctx) => {
  const spec = rec(obj.spec);
  if (spec.type === "ExternalName") return healthy("external name");
  if (spec.clusterIP === "None") return healthy("headless");
  if (!isRecord(spec.selector) || Object.keys(spec.selector).length === 0) return healthy("no selector: endpoints are managed by hand");
  const subsets = ctx.endpoints && Array.isArray(ctx.endpoints.subsets) ? ctx.endpoints.subsets.filter(isRecord) : [];
  const ready = subsets.reduce((n, s) => n + (Array.isArray(s.addresses) ? s.addresses.length : 0), 0);
  if (ready === 0) return progressing("no ready endpoints");
  if (spec.type === "LoadBalancer") {
    const ingress = rec(rec(obj.status).loadBalancer).ingress;
    if (!Array.isArray(ingress) || ingress.length === 0) return progressing("waiting for a load balancer address");
  }
  return healthy(`${ready} ready endpoints`);
};

const BAD_WAITING = new Set(["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "InvalidImageName"]);

const pod: Check = (obj) => {
  const s = rec(obj.status);
  if (s.phase === "Succeeded") return healthy("succeeded");
  if (s.phase === "Failed") return degraded(`pod failed${s.reason ? `: ${String(s.reason)}` : ""}`);
  const statuses = Array.isArray(s.containerStatuses) ? s.containerStatuses.filter(isRecord) : [];
  for (const c of statuses) {
    const reason = rec(rec(c.state).waiting).reason;
    if (typeof reason === "string" && BAD_WAITING.has(reason)) return degraded(`container ${String(c.name)}: ${reason}`);
  }
  if (condition(obj, "Ready")?.status === "True") return healthy("ready");
  return progressing(typeof s.phase === "string" ? `${s.phase}: not ready` : "not ready");
};

const crd: Check = (obj) => {
  if (condition(obj, "NamesAccepted")?.status === "False") return degraded(`names not accepted: ${String(condition(obj, "NamesAccepted")?.message ?? "")}`);
  if (condition(obj, "Established")?.status === "True") return healthy("established");
  return progressing("not established yet");
};

const CHECKS: Record<string, Check> = {
  "apps/Deployment": deployment,
  "apps/StatefulSet": statefulSet,
  "apps/DaemonSet": daemonSet,
  "batch/Job": job,
  "/PersistentVolumeClaim": pvc,
  "/Service": service,
  "/Pod": pod,
  "apiextensions.k8s.io/CustomResourceDefinition": crd,
};

/** Health of one object (undefined: it does not exist). */
export function health(obj: Unstructured | undefined, ctx: HealthContext = {}): Health {
  if (!obj) return { status: "Missing", message: "not found" };
  if (obj.metadata && isRecord(obj.metadata) && typeof obj.metadata.deletionTimestamp === "string") return progressing("being deleted");
  const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
  const check = CHECKS[`${group}/${obj.kind}`];
  return check ? check(obj, ctx) : healthy("exists");
}

/** Whether health(obj) looks at the Service's Endpoints. */
export function needsEndpoints(obj: { apiVersion?: string; kind?: string }): boolean {
  return obj.apiVersion === "v1" && obj.kind === "Service";
}
