// Storage admission, as kube-apiserver's DefaultStorageClass and StorageObjectInUseProtection
// plugins plus the PV / PVC / StorageClass validation the registry does: a claim that names no
// class gets the default one (the newest when several are marked default), new claims and
// volumes get their in-use protection finalizers, and malformed quantities, access modes,
// volume modes and policies are refused with Kubernetes' messages.
import { isQuantity, parseQuantity } from "../../kubelet/quantity.js";
import type { ApiEnv } from "../context.js";
import { badRequest, fieldCause, InvalidError, type StatusCause } from "../errors.js";
import { arrayOf, child, getPath, isObject, meta, str, stringMap, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";

const PVC_PROTECTION = "kubernetes.io/pvc-protection";
const PV_PROTECTION = "kubernetes.io/pv-protection";
const DEFAULT_ANNOTATIONS = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];
const BETA_CLASS = "volume.beta.kubernetes.io/storage-class";
const STORAGE_CLASSES = { group: "storage.k8s.io", resource: "storageclasses", namespaced: false };
const QUANTITY_RULE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const VOLUME_MODES = ["Block", "Filesystem"];

type Kind = "PersistentVolumeClaim" | "PersistentVolume" | "StorageClass";

function storageKind(info: ResourceInfo): Kind | undefined {
  if (info.custom) return undefined;
  if (info.group === "" && (info.kind === "PersistentVolumeClaim" || info.kind === "PersistentVolume")) return info.kind;
  if (info.group === "storage.k8s.io" && info.kind === "StorageClass") return "StorageClass";
  return undefined;
}

function unsupported(field: string, value: string, supported: string[]): StatusCause {
  return fieldCause("FieldValueNotSupported", field, `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`);
}

function addFinalizer(obj: JsonObject, finalizer: string): void {
  const m = meta(obj);
  const finalizers = arrayOf(m.finalizers).filter((f): f is string => typeof f === "string");
  if (!finalizers.includes(finalizer)) m.finalizers = [...finalizers, finalizer];
}

/** A malformed quantity fails decoding in kube-apiserver: 400, not 422. */
function checkQuantities(kind: Kind, obj: JsonObject, path: string[]): void {
  const values = stringMap(getPath(obj, path)) ?? {};
  for (const value of Object.values(values)) {
    if (!isQuantity(value)) throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${QUANTITY_RULE}`);
  }
}

async function defaultClassName(env: ApiEnv): Promise<string | undefined> {
  const { items } = await env.storage.list(STORAGE_CLASSES);
  let best: { name: string; created: string } | undefined;
  for (const sc of items) {
    const annotations = stringMap(getPath(sc, ["metadata", "annotations"])) ?? {};
    if (!DEFAULT_ANNOTATIONS.some((a) => annotations[a] === "true")) continue;
    const name = str(getPath(sc, ["metadata", "name"])) ?? "";
    const created = str(getPath(sc, ["metadata", "creationTimestamp"])) ?? "";
    if (!best || created > best.created || (created === best.created && name < best.name)) best = { name, created };
  }
  return best?.name;
}

/** Mutates and validates a PV, PVC or StorageClass being created; other kinds pass untouched. */
export async function admitStorageCreate(env: ApiEnv, info: ResourceInfo, obj: JsonObject): Promise<void> {
  const kind = storageKind(info);
  if (!kind) return;
  if (kind === "PersistentVolumeClaim") {
    checkQuantities(kind, obj, ["spec", "resources", "requests"]);
    const spec = child(obj, "spec");
    const annotations = stringMap(meta(obj).annotations) ?? {};
    if (spec.storageClassName === undefined && annotations[BETA_CLASS] === undefined) {
      const name = await defaultClassName(env);
      if (name !== undefined) spec.storageClassName = name;
    }
    addFinalizer(obj, PVC_PROTECTION);
  } else if (kind === "PersistentVolume") {
    checkQuantities(kind, obj, ["spec", "capacity"]);
    addFinalizer(obj, PV_PROTECTION);
  }
  rejectInvalid(kind, obj, validate(kind, obj));
}

/** Validates an update; a claim's spec only changes where binding and expansion need it. */
export function admitStorageUpdate(info: ResourceInfo, old: JsonObject, obj: JsonObject): void {
  const kind = storageKind(info);
  if (!kind) return;
  if (kind === "PersistentVolumeClaim") checkQuantities(kind, obj, ["spec", "resources", "requests"]);
  if (kind === "PersistentVolume") checkQuantities(kind, obj, ["spec", "capacity"]);
  const causes = validate(kind, obj);
  if (kind === "PersistentVolumeClaim") causes.push(...claimSpecChanges(old, obj));
  rejectInvalid(kind, obj, causes);
}

function rejectInvalid(kind: Kind, obj: JsonObject, causes: StatusCause[]): void {
  if (causes.length > 0) throw new InvalidError(kind, str(meta(obj).name) ?? "", causes);
}

function validate(kind: Kind, obj: JsonObject): StatusCause[] {
  if (kind === "PersistentVolumeClaim") return validateClaim(child(obj, "spec"));
  if (kind === "PersistentVolume") return validateVolume(child(obj, "spec"));
  return validateClass(obj);
}

function validateModes(spec: JsonObject, volume: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const modes = arrayOf(spec.accessModes);
  if (modes.length === 0) causes.push(fieldCause("FieldValueRequired", "spec.accessModes", volume ? "Required value" : "Required value: at least 1 access mode is required"));
  for (const mode of modes) {
    if (typeof mode !== "string" || !ACCESS_MODES.includes(mode)) causes.push(unsupported("spec.accessModes", String(mode), ACCESS_MODES));
  }
  if (modes.includes("ReadWriteOncePod") && modes.length > 1) {
    causes.push(fieldCause("FieldValueForbidden", "spec.accessModes", "Forbidden: may not use ReadWriteOncePod with other access modes"));
  }
  const volumeMode = str(spec.volumeMode);
  if (volumeMode !== undefined && !VOLUME_MODES.includes(volumeMode)) causes.push(unsupported("spec.volumeMode", volumeMode, VOLUME_MODES));
  return causes;
}

function validateClaim(spec: JsonObject): StatusCause[] {
  const causes = validateModes(spec, false);
  const storage = str(getPath(spec, ["resources", "requests", "storage"]));
  if (storage === undefined) causes.push(fieldCause("FieldValueRequired", "spec.resources[storage]", "Required value"));
  else if (parseQuantity(storage) <= 0) causes.push(fieldCause("FieldValueInvalid", "spec.resources.requests[storage]", `Invalid value: ${JSON.stringify(storage)}: must be greater than zero`));
  return causes;
}

const VOLUME_SOURCES = ["hostPath", "local", "nfs", "csi", "iscsi", "fc", "cephfs", "rbd", "glusterfs", "flexVolume", "azureFile", "azureDisk", "gcePersistentDisk", "awsElasticBlockStore", "cinder", "vsphereVolume", "portworxVolume", "scaleIO", "storageos", "quobyte", "photonPersistentDisk", "flocker"];
const RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"];

function validateVolume(spec: JsonObject): StatusCause[] {
  const causes = validateModes(spec, true);
  const storage = str(getPath(spec, ["capacity", "storage"]));
  if (storage === undefined) causes.push(fieldCause("FieldValueRequired", "spec.capacity", "Required value"));
  if (!VOLUME_SOURCES.some((s) => isObject(spec[s]))) causes.push(fieldCause("FieldValueRequired", "spec", "Required value: must specify a volume type"));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy !== undefined && !RECLAIM_POLICIES.includes(policy)) causes.push(unsupported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES));
  return causes;
}

function validateClass(obj: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!str(obj.provisioner)) causes.push(fieldCause("FieldValueRequired", "provisioner", "Required value"));
  const policy = str(obj.reclaimPolicy);
  if (policy !== undefined && !["Delete", "Retain"].includes(policy)) causes.push(unsupported("reclaimPolicy", policy, ["Delete", "Retain"]));
  const mode = str(obj.volumeBindingMode);
  const modes = ["Immediate", "WaitForFirstConsumer"];
  if (mode !== undefined && !modes.includes(mode)) causes.push(unsupported("volumeBindingMode", mode, modes));
  return causes;
}

/**
 * kube-apiserver's claim update rule: the spec is immutable except volumeName and
 * storageClassName while unset (binding, retroactive default class) and the storage request,
 * which may grow but never shrink.
 */
function claimSpecChanges(old: JsonObject, obj: JsonObject): StatusCause[] {
  const before = structuredClone(child(old, "spec"));
  const after = structuredClone(child(obj, "spec"));
  if (before.volumeName === undefined || before.volumeName === "") before.volumeName = after.volumeName;
  if (before.storageClassName === undefined) before.storageClassName = after.storageClassName;
  const oldStorage = str(getPath(before, ["resources", "requests", "storage"]));
  const newStorage = str(getPath(after, ["resources", "requests", "storage"]));
  if (oldStorage !== undefined && newStorage !== undefined && isQuantity(newStorage) && parseQuantity(newStorage) < parseQuantity(oldStorage)) {
    return [fieldCause("FieldValueForbidden", "spec.resources.requests.storage", "Forbidden: field can not be less than previous value")];
  }
  delete before.resources;
  delete after.resources;
  if (JSON.stringify(sorted(before)) === JSON.stringify(sorted(after))) return [];
  return [fieldCause("FieldValueForbidden", "spec", "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims")];
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
}
