// Whether a pod's volumes can be set up, as a pure function of what the kubelet's caches hold
// (after the kubelet volume manager: the desired-state populator resolves each claim to its
// bound volume, then the reconciler's MountVolume.SetUp reads ConfigMaps and Secrets). The
// answer carries the FailedMount Events a Kubernetes 1.32 kubelet writes, word for word:
//
//   Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[],
//     failed to process volumes=[data]: error processing PVC ns/claim: PVC is not bound
//   MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found
//
// Only volumes some container mounts are expected (Kubernetes' getExpectedVolumes): a volume
// declared but never mounted does not hold the pod back. The API-access volume the
// ServiceAccount admission injects (kube-api-access-*) is taken as mountable: berth's root-CA
// publisher is a controller the kubelet does not wait for (bench and unit clusters run without
// it), where a real kubelet would retry until kube-root-ca.crt exists.
import type { Pod } from "./types.js";

export const FAILED_MOUNT = "FailedMount";
const TOKEN_VOLUME_PREFIX = "kube-api-access-";

export type SourceKind = "PersistentVolumeClaim" | "PersistentVolume" | "ConfigMap" | "Secret";

/** Read access to the objects a pod's volumes name; undefined means "not there". */
export interface MountView {
  get(kind: SourceKind, namespace: string, name: string): MountObject | undefined;
}

/** The fields of a claim, volume, ConfigMap or Secret this check reads. */
export interface MountObject {
  metadata?: { uid?: string; deletionTimestamp?: string | Date };
  spec?: { volumeName?: string; claimRef?: { uid?: string } };
  status?: { phase?: string };
  data?: Record<string, unknown>;
  binaryData?: Record<string, unknown>;
  stringData?: Record<string, unknown>;
}

export interface MountEvent {
  reason: string;
  message: string;
}

export interface MountCheck {
  /** Names of the expected volumes that cannot be set up, sorted; empty: the pod may start. */
  unmounted: string[];
  events: MountEvent[];
  /** `Kind:namespace/name` of every object whose change may unblock the pod. */
  dependsOn: string[];
}

interface KeyToPath {
  key: string;
}

interface ObjectSource {
  name?: string;
  optional?: boolean;
  items?: KeyToPath[];
}

interface PodVolume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  configMap?: ObjectSource;
  secret?: ObjectSource & { secretName?: string };
  projected?: { sources?: { configMap?: ObjectSource; secret?: ObjectSource }[] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isPodVolume(v: unknown): v is PodVolume {
  return isRecord(v) && typeof v.name === "string";
}

function podVolumes(pod: Pod): PodVolume[] {
  const volumes = pod.spec.volumes;
  return Array.isArray(volumes) ? volumes.filter(isPodVolume) : [];
}

function mountNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((m) => (isRecord(m) && typeof m.name === "string" ? [m.name] : []));
}

/** The volumes containers mount or map as devices (init and ephemeral containers included). */
export function expectedVolumes(pod: Pod): Set<string> {
  const { ephemeralContainers } = pod.spec;
  const ephemeral = Array.isArray(ephemeralContainers) ? ephemeralContainers.filter(isRecord) : [];
  const names = new Set<string>();
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...ephemeral]) {
    for (const name of [...mountNames(c.volumeMounts), ...mountNames(c.volumeDevices)]) names.add(name);
  }
  return names;
}

/** Cheap pre-check for the hot path: does any volume need a cache lookup at all? */
export function needsMountCheck(pod: Pod): boolean {
  return podVolumes(pod).some((v) => v.persistentVolumeClaim !== undefined || v.configMap !== undefined || v.secret !== undefined || (v.projected !== undefined && !v.name.startsWith(TOKEN_VOLUME_PREFIX)));
}

function depKey(kind: SourceKind, namespace: string, name: string): string {
  return kind === "PersistentVolume" ? `${kind}:${name}` : `${kind}:${namespace}/${name}`;
}

/** The populator's error for one claim volume, or undefined when it resolves to its volume. */
function claimError(view: MountView, namespace: string, claimName: string, deps: string[]): string | undefined {
  deps.push(depKey("PersistentVolumeClaim", namespace, claimName));
  const prefix = `error processing PVC ${namespace}/${claimName}`;
  const claim = view.get("PersistentVolumeClaim", namespace, claimName);
  if (!claim) return `${prefix}: failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`;
  if (claim.metadata?.deletionTimestamp) return `${prefix}: PVC is being deleted`;
  if (claim.status?.phase !== "Bound") return `${prefix}: PVC is not bound`;
  const pvName = claim.spec?.volumeName;
  if (!pvName) return `${prefix}: PVC has empty pvc.Spec.VolumeName`;
  deps.push(depKey("PersistentVolume", "", pvName));
  const pv = view.get("PersistentVolume", "", pvName);
  if (!pv) return `${prefix}: failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`;
  const refUid = pv.spec?.claimRef?.uid;
  if (!refUid) return `${prefix}: found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`;
  if (refUid !== claim.metadata?.uid) return `${prefix}: found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${refUid} does not point to claim.UID ${claim.metadata?.uid ?? ""}`;
  return undefined;
}

function hasKey(obj: MountObject, key: string): boolean {
  return [obj.data, obj.binaryData, obj.stringData].some((m) => m !== undefined && Object.hasOwn(m, key));
}

/** MountVolume.SetUp's error for a ConfigMap or Secret source, or undefined when it mounts. */
function sourceError(view: MountView, kind: "ConfigMap" | "Secret", namespace: string, source: ObjectSource, deps: string[]): string | undefined {
  const name = source.name ?? "";
  deps.push(depKey(kind, namespace, name));
  const obj = view.get(kind, namespace, name);
  if (!obj) return source.optional ? undefined : `${kind.toLowerCase()} "${name}" not found`;
  if (source.optional) return undefined;
  const missing = (source.items ?? []).find((item) => !hasKey(obj, item.key));
  if (!missing) return undefined;
  return kind === "ConfigMap" ? `configmap references non-existent config key: ${missing.key}` : `references non-existent secret key: ${missing.key}`;
}

function setUpErrors(view: MountView, namespace: string, volume: PodVolume, deps: string[]): string[] {
  const errors: (string | undefined)[] = [];
  if (volume.configMap) errors.push(sourceError(view, "ConfigMap", namespace, volume.configMap, deps));
  if (volume.secret) errors.push(sourceError(view, "Secret", namespace, { ...volume.secret, name: volume.secret.secretName }, deps));
  if (volume.projected && !volume.name.startsWith(TOKEN_VOLUME_PREFIX)) {
    for (const s of volume.projected.sources ?? []) {
      if (s.configMap) errors.push(sourceError(view, "ConfigMap", namespace, s.configMap, deps));
      if (s.secret) errors.push(sourceError(view, "Secret", namespace, s.secret, deps));
    }
  }
  return errors.filter((e): e is string => e !== undefined);
}

/** Go's %v of an aggregate: one error as is, several as [a, b]. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;
}

export function checkMounts(pod: Pod, view: MountView): MountCheck {
  const namespace = pod.metadata.namespace ?? "default";
  const expected = expectedVolumes(pod);
  const unprocessed: string[] = [];
  const processErrors: string[] = [];
  const unmounted: string[] = [];
  const events: MountEvent[] = [];
  const dependsOn: string[] = [];
  for (const volume of podVolumes(pod)) {
    if (!expected.has(volume.name)) continue;
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (claimName !== undefined) {
      const error = claimError(view, namespace, claimName, dependsOn);
      if (error) {
        unprocessed.push(volume.name);
        processErrors.push(error);
        unmounted.push(volume.name);
      }
      continue;
    }
    const errors = setUpErrors(view, namespace, volume, dependsOn);
    if (errors.length === 0) continue;
    unmounted.push(volume.name);
    events.push({ reason: FAILED_MOUNT, message: `MountVolume.SetUp failed for volume "${volume.name}" : ${aggregate(errors)}` });
  }
  unmounted.sort();
  if (processErrors.length > 0) {
    const message = `Unable to attach or mount volumes: unmounted volumes=[${unmounted.join(" ")}], unattached volumes=[], failed to process volumes=[${[...unprocessed].sort().join(" ")}]: ${processErrors.join("; ")}`;
    events.unshift({ reason: FAILED_MOUNT, message });
  }
  return { unmounted, events, dependsOn };
}
