// Resource accounting shared by the simulated nodes and the scheduler, so both agree on what
// a pod asks for and what a node offers. It follows Kubernetes' effective-request rule
// (k8s.io/component-helpers resource.PodRequests): the larger of the sum of the app containers
// (plus restartable "sidecar" init containers, which keep running) and the largest single init
// container (plus the sidecars started before it), plus spec.overhead. A missing request
// falls back to the limit, as the API server's defaulting would have set it.
import { parseMilliQuantity, parseQuantity } from "./quantity.js";

/** The parts of a container podRequests reads; client-node's V1Container fits too. */
export interface ContainerLike {
  restartPolicy?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** The parts of a pod the accounting reads; client-node's V1Pod and plain JSON pods fit. */
export interface PodLike {
  spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[]; overhead?: Record<string, string>; nodeName?: string };
  status?: { phase?: string };
}

export interface NodeLike {
  status?: { allocatable?: Record<string, string>; capacity?: Record<string, string> };
}

/** Amounts in integer base units: millicores for cpu, bytes for memory and storage. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  /** Extended resources (e.g. "nvidia.com/gpu", "hugepages-2Mi"), by name, in base units. */
  scalar: Record<string, number>;
}

/** What the scheduler assumes for a container that requests nothing, when scoring only. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} };
}

/** A Kubernetes ResourceList ({ cpu: "500m", memory: "1Gi", … }) as Resources. */
export function fromResourceList(list: Record<string, string> | undefined): Resources {
  const out = emptyResources();
  for (const [name, value] of Object.entries(list ?? {})) {
    switch (name) {
      case "cpu":
        out.milliCPU = parseMilliQuantity(String(value));
        break;
      case "memory":
        out.memory = parseQuantity(String(value));
        break;
      case "ephemeral-storage":
        out.ephemeralStorage = parseQuantity(String(value));
        break;
      case "pods":
        out.pods = parseQuantity(String(value));
        break;
      default:
        out.scalar[name] = parseQuantity(String(value));
    }
  }
  return out;
}

export function addResources(into: Resources, more: Resources): Resources {
  into.milliCPU += more.milliCPU;
  into.memory += more.memory;
  into.ephemeralStorage += more.ephemeralStorage;
  into.pods += more.pods;
  for (const [name, value] of Object.entries(more.scalar)) into.scalar[name] = (into.scalar[name] ?? 0) + value;
  return into;
}

function maxResources(into: Resources, other: Resources): Resources {
  into.milliCPU = Math.max(into.milliCPU, other.milliCPU);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  into.pods = Math.max(into.pods, other.pods);
  for (const [name, value] of Object.entries(other.scalar)) into.scalar[name] = Math.max(into.scalar[name] ?? 0, value);
  return into;
}

function cloneResources(r: Resources): Resources {
  return { ...r, scalar: { ...r.scalar } };
}

export interface PodRequestsOptions {
  /**
   * Count a container without a cpu / memory request as 100m / 200Mi, as the scheduler's
   * scoring plugins do (never its fit filter). Default false.
   */
  nonZero?: boolean;
}

function containerRequests(container: ContainerLike, options: PodRequestsOptions): Resources {
  const limits = container.resources?.limits ?? {};
  const requests = { ...limits, ...(container.resources?.requests ?? {}) };
  const out = fromResourceList(requests);
  if (options.nonZero) {
    if (requests.cpu === undefined) out.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (requests.memory === undefined) out.memory = DEFAULT_MEMORY_REQUEST;
  }
  return out;
}

/**
 * The resources a pod occupies on its node (pods always 1). Throws QuantityError on a
 * malformed quantity; the API server's validation keeps those out of stored pods.
 */
export function podRequests(pod: PodLike, options: PodRequestsOptions = {}): Resources {
  const spec = pod.spec;
  const total = emptyResources();
  for (const container of spec?.containers ?? []) addResources(total, containerRequests(container, options));
  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const container of spec?.initContainers ?? []) {
    const own = containerRequests(container, options);
    if (container.restartPolicy === "Always") {
      addResources(total, own);
      addResources(sidecars, own);
      maxResources(initPeak, sidecars);
    } else {
      maxResources(initPeak, addResources(cloneResources(own), sidecars));
    }
  }
  maxResources(total, initPeak);
  addResources(total, fromResourceList(spec?.overhead));
  total.pods = 1;
  return total;
}

/** What the scheduler may place on the node: status.allocatable, else status.capacity. */
export function nodeAllocatable(node: NodeLike): Resources {
  return fromResourceList(node.status?.allocatable ?? node.status?.capacity);
}

/** A pod that still holds its node's resources: bound and not Succeeded / Failed. */
export function isPodActiveOnNode(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.spec?.nodeName) && phase !== "Succeeded" && phase !== "Failed";
}

/** The sum of podRequests over the pods that hold resources on a node. */
export function sumRequests(pods: Iterable<PodLike>, options: PodRequestsOptions = {}): Resources {
  const total = emptyResources();
  for (const pod of pods) if (isPodActiveOnNode(pod)) addResources(total, podRequests(pod, options));
  return total;
}

/** The dimensions in which `request` does not fit into `free` (empty: it fits), in kube-scheduler's order. */
export function insufficient(request: Resources, free: Resources): string[] {
  const short: string[] = [];
  if (request.pods > free.pods) short.push("pods");
  if (request.milliCPU > free.milliCPU) short.push("cpu");
  if (request.memory > free.memory) short.push("memory");
  if (request.ephemeralStorage > free.ephemeralStorage) short.push("ephemeral-storage");
  for (const [name, value] of Object.entries(request.scalar)) {
    if (value > (free.scalar[name] ?? 0)) short.push(name);
  }
  return short;
}

/** free = allocatable − used, per dimension (may go negative on an overcommitted node). */
export function subtractResources(from: Resources, used: Resources): Resources {
  const out = cloneResources(from);
  out.milliCPU -= used.milliCPU;
  out.memory -= used.memory;
  out.ephemeralStorage -= used.ephemeralStorage;
  out.pods -= used.pods;
  for (const [name, value] of Object.entries(used.scalar)) out.scalar[name] = (out.scalar[name] ?? 0) - value;
  return out;
}
