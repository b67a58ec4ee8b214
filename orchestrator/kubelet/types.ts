// The JSON shapes of the objects the kubelet reads and writes, as they travel on the wire
// (timestamps are RFC 3339 strings, not client-node's Date classes), with the guards that
// check what the API returned before the kubelet trusts it.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
}

export type ResourceList = Record<string, string>;

export interface Probe {
  initialDelaySeconds?: number;
}

export interface Container {
  name: string;
  image?: string;
  restartPolicy?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  readinessProbe?: Probe;
  startupProbe?: Probe;
  /** Read by the volume check (mounts.ts), which validates the entries it uses. */
  volumeMounts?: unknown;
  volumeDevices?: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeName?: string;
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  overhead?: ResourceList;
  /** Read by the volume check (mounts.ts), which validates the entries it uses. */
  volumes?: unknown;
  ephemeralContainers?: unknown;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; startedAt?: string; finishedAt?: string; containerID?: string };
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
}

export interface PodStatus {
  phase?: string;
  conditions?: Condition[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  reason?: string;
  message?: string;
  [field: string]: unknown;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: PodStatus;
}

export interface NodeStatus {
  capacity?: ResourceList;
  allocatable?: ResourceList;
  conditions?: Condition[];
  addresses?: { type: string; address: string }[];
  nodeInfo?: Record<string, string>;
  [field: string]: unknown;
}

export interface Node {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { podCIDR?: string; podCIDRs?: string[]; unschedulable?: boolean; [field: string]: unknown };
  status?: NodeStatus;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isContainer(v: unknown): v is Container {
  return isRecord(v) && typeof v.name === "string";
}

/** A pod as the API returned it, with the fields the kubelet relies on present and typed. */
export function isPod(v: unknown): v is Pod {
  if (!isRecord(v) || !isRecord(v.metadata) || !isRecord(v.spec)) return false;
  const { metadata, spec } = v;
  if (typeof metadata.name !== "string" || typeof metadata.namespace !== "string") return false;
  if (!Array.isArray(spec.containers) || !spec.containers.every(isContainer)) return false;
  if (spec.initContainers !== undefined && !(Array.isArray(spec.initContainers) && spec.initContainers.every(isContainer))) return false;
  return v.status === undefined || isRecord(v.status);
}

export function isNode(v: unknown): v is Node {
  return isRecord(v) && isRecord(v.metadata) && typeof v.metadata.name === "string" && (v.status === undefined || isRecord(v.status));
}
