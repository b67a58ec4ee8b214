// Server-side validation of the fields kubectl users most often get wrong. Returns causes
// with Kubernetes field paths; the caller wraps them in one 422 Invalid Status.
import { fieldCause, type StatusCause } from "../errors.js";
import { arrayOf, getPath, isObject, stringMap, type JsonObject } from "../object.js";
import { matchesLabels, requirementsFromObject } from "../selectors/labels.js";
import { validateCronJob } from "./cronJob.js";
import { validateJob } from "./job.js";

const TEMPLATE_KINDS: Record<string, string[]> = {
  Deployment: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

const SELECTOR_REQUIRED = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"]);

/** Kind-specific checks that also look at the stored object on update. */
const UPDATE_AWARE: Record<string, (obj: JsonObject, old?: JsonObject) => StatusCause[]> = {
  Job: validateJob,
  CronJob: validateCronJob,
};

export interface ValidateContext {
  /** The stored object, on update. */
  old?: JsonObject;
  /** "status" writes change only status; spec rules are not re-run on them. */
  subresource?: string;
}

export function validateBuiltin(kind: string, obj: JsonObject, context: ValidateContext = {}): StatusCause[] {
  if (kind === "Pod") return validatePodSpec(getPath(obj, ["spec"]), "spec");
  if (kind === "Service") return validateService(obj);
  const templatePath = TEMPLATE_KINDS[kind];
  if (!templatePath) return [];
  const causes = validatePodSpec(getPath(obj, [...templatePath, "spec"]), [...templatePath, "spec"].join("."));
  if (SELECTOR_REQUIRED.has(kind)) causes.push(...validateSelector(obj));
  const specific = UPDATE_AWARE[kind];
  if (specific && context.subresource === undefined) causes.push(...specific(obj, context.old));
  return causes;
}

function validatePodSpec(spec: unknown, path: string): StatusCause[] {
  if (!isObject(spec)) return [fieldCause("FieldValueRequired", path, "Required value")];
  const causes: StatusCause[] = [];
  const containers = arrayOf(spec.containers);
  if (containers.length === 0) causes.push(fieldCause("FieldValueRequired", `${path}.containers`, "Required value"));
  causes.push(...validateContainers(containers, `${path}.containers`));
  causes.push(...validateContainers(arrayOf(spec.initContainers), `${path}.initContainers`));
  return causes;
}

function validateContainers(containers: unknown[], path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(c)) {
      causes.push(fieldCause("FieldValueInvalid", at, "Invalid value: expected an object"));
      return;
    }
    if (typeof c.name !== "string" || c.name === "") causes.push(fieldCause("FieldValueRequired", `${at}.name`, "Required value"));
    else if (seen.has(c.name)) causes.push(fieldCause("FieldValueDuplicate", `${at}.name`, `Duplicate value: ${JSON.stringify(c.name)}`));
    else seen.add(c.name);
    if (typeof c.image !== "string" || c.image.trim() === "") causes.push(fieldCause("FieldValueRequired", `${at}.image`, "Required value"));
    arrayOf(c.ports).forEach((p, j) => {
      const port = isObject(p) ? p.containerPort : undefined;
      causes.push(...validatePort(port, `${at}.ports[${j}].containerPort`));
    });
  });
  return causes;
}

function validatePort(port: unknown, field: string): StatusCause[] {
  if (port === undefined) return [fieldCause("FieldValueRequired", field, "Required value")];
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    return [fieldCause("FieldValueInvalid", field, `Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive`)];
  }
  return [];
}

function validateService(obj: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const type = getPath(obj, ["spec", "type"]);
  const ports = arrayOf(getPath(obj, ["spec", "ports"]));
  if (ports.length === 0 && type !== "ExternalName" && getPath(obj, ["spec", "clusterIP"]) !== "None") {
    causes.push(fieldCause("FieldValueRequired", "spec.ports", "Required value"));
  }
  ports.forEach((p, i) => causes.push(...validatePort(isObject(p) ? p.port : undefined, `spec.ports[${i}].port`)));
  if (ports.length > 1) {
    ports.forEach((p, i) => {
      if (!isObject(p) || typeof p.name !== "string" || p.name === "") causes.push(fieldCause("FieldValueRequired", `spec.ports[${i}].name`, "Required value"));
    });
  }
  return causes;
}

function validateSelector(obj: JsonObject): StatusCause[] {
  const selector = getPath(obj, ["spec", "selector"]);
  if (!isObject(selector) || (Object.keys(stringMap(selector.matchLabels) ?? {}).length === 0 && arrayOf(selector.matchExpressions).length === 0)) {
    return [fieldCause("FieldValueRequired", "spec.selector", "Required value")];
  }
  const labels = stringMap(getPath(obj, ["spec", "template", "metadata", "labels"])) ?? {};
  const reqs = requirementsFromObject({ matchLabels: stringMap(selector.matchLabels), matchExpressions: arrayOf(selector.matchExpressions).filter(isExpression) });
  if (!matchesLabels(reqs, labels)) {
    return [fieldCause("FieldValueInvalid", "spec.template.metadata.labels", `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``)];
  }
  return [];
}

function isExpression(v: unknown): v is { key: string; operator: string; values?: string[] } {
  return isObject(v) && typeof v.key === "string" && typeof v.operator === "string";
}
