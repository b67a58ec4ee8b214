// Field selectors: `metadata.name=x,spec.nodeName!=y`. Only the fields Kubernetes indexes for
// a kind are allowed; anything else is a 400 as on a real server.
import { badRequest } from "../errors.js";
import { isObject } from "../object.js";

export interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
}

const COMMON = ["metadata.name", "metadata.namespace"];

const BY_KIND: Record<string, string[]> = {
  Pod: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
  Namespace: ["status.phase"],
  Node: ["spec.unschedulable"],
  Secret: ["type"],
  Event: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
  ReplicaSet: ["status.replicas"],
  Job: ["status.successful"],
  PersistentVolumeClaim: [],
};

/** The fields a selector may name on a kind (Kubernetes' field label conversions). */
export function selectableFields(kind: string): string[] {
  return [...COMMON, ...(BY_KIND[kind] ?? [])];
}

export function parseFieldSelector(selector: string, kind: string): FieldRequirement[] {
  const allowed = new Set(selectableFields(kind));
  const reqs: FieldRequirement[] = [];
  for (const raw of selector.split(",")) {
    const part = raw.trim();
    if (part === "") continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const field = m[1].trim();
    if (!allowed.has(field)) throw badRequest(`field label not supported: ${field}`);
    reqs.push({ field, value: m[3].trim(), negate: m[2] === "!=" });
  }
  return reqs;
}

export function fieldValue(obj: Record<string, unknown>, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (!isObject(cur)) return "";
    cur = isObject(cur) ? cur[part] : undefined;
  }
  if (cur === undefined || cur === null) return "";
  return typeof cur === "object" ? JSON.stringify(cur) : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: Record<string, unknown>): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) !== r.negate);
}

/** matchesFields over values read ahead (selectors/attributes.ts). */
export function matchesFieldValues(reqs: FieldRequirement[], values: ReadonlyMap<string, string>): boolean {
  return reqs.every((r) => ((values.get(r.field) ?? "") === r.value) !== r.negate);
}
