// batch/v1 Job validation with kube-apiserver 1.32's field paths and messages
// (pkg/apis/batch/validation/validation.go). The pod template's own checks (containers,
// images, ports) run in index.ts for every template kind; this adds what is Job-specific.
import type { StatusCause } from "../errors.js";
import { getPath, isObject, meta, str, stringMap, type JsonObject } from "../object.js";
import { matchesLabels, requirementsFromObject } from "../selectors/labels.js";
import { has, immutable, invalid, nonNegative, notSupported, required } from "./fieldErrors.js";
import { validatePodFailurePolicy, validateSuccessPolicy } from "./jobPolicies.js";

const MAX_PARALLELISM_INDEXED = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DOMAIN_PREFIXED_PATH = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

const NON_NEGATIVE = ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"];

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** validateJobSpec: what a Job and a CronJob's jobTemplate share. */
export function validateJobSpec(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const key of NON_NEGATIVE) causes.push(...nonNegative(spec[key], `${path}.${key}`));
  if (has(spec.maxFailedIndexes) && !has(spec.backoffLimitPerIndex)) causes.push(required(`${path}.backoffLimitPerIndex`, "when maxFailedIndexes is specified"));
  if (typeof spec.managedBy === "string" && !DOMAIN_PREFIXED_PATH.test(spec.managedBy)) {
    causes.push(invalid(`${path}.managedBy`, spec.managedBy, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  }
  causes.push(...validateCompletionMode(spec, path));
  if (has(spec.podFailurePolicy)) causes.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (has(spec.successPolicy)) {
    if (spec.completionMode !== "Indexed") causes.push(invalid(`${path}.successPolicy`, spec.successPolicy, "requires indexed completion mode"));
    else causes.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  }
  causes.push(...validatePodReplacementPolicy(spec, `${path}.podReplacementPolicy`));
  causes.push(...validateRestartPolicy(spec, `${path}.template.spec.restartPolicy`));
  return causes;
}

function validateCompletionMode(spec: JsonObject, path: string): StatusCause[] {
  const mode = spec.completionMode;
  if (mode === undefined || mode === null || mode === "NonIndexed") {
    const causes: StatusCause[] = [];
    if (has(spec.backoffLimitPerIndex)) causes.push(invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, "requires indexed completion mode"));
    if (has(spec.maxFailedIndexes)) causes.push(invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, "requires indexed completion mode"));
    return causes;
  }
  if (mode !== "Indexed") return [notSupported(`${path}.completionMode`, mode, ["NonIndexed", "Indexed"])];
  return validateIndexed(spec, path);
}

function validateIndexed(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const completions = num(spec.completions);
  const parallelism = num(spec.parallelism);
  const maxFailed = num(spec.maxFailedIndexes);
  if (completions === undefined) causes.push(required(`${path}.completions`, "when completion mode is Indexed"));
  if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
    causes.push(invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
  }
  if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) causes.push(invalid(`${path}.maxFailedIndexes`, maxFailed, "must be less than or equal to completions"));
  if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) causes.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && has(spec.backoffLimitPerIndex)) {
    const why = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailed === undefined) causes.push(required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
      causes.push(invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${why}`));
    }
    if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
      causes.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} ${why}`));
    }
  }
  return causes;
}

function validatePodReplacementPolicy(spec: JsonObject, path: string): StatusCause[] {
  const policy = spec.podReplacementPolicy;
  if (!has(policy)) return [];
  if (has(spec.podFailurePolicy)) return policy === "Failed" ? [] : [notSupported(path, policy, ["Failed"])];
  return policy === "Failed" || policy === "TerminatingOrFailed" ? [] : [notSupported(path, policy, ["Failed", "TerminatingOrFailed"])];
}

function validateRestartPolicy(spec: JsonObject, path: string): StatusCause[] {
  const policy = getPath(spec, ["template", "spec", "restartPolicy"]);
  if (policy === undefined || policy === null || policy === "" || policy === "Always") return [required(path, 'valid values: "OnFailure", "Never"')];
  if (policy !== "OnFailure" && policy !== "Never") return [notSupported(path, policy, ["OnFailure", "Never"])];
  if (has(spec.podFailurePolicy) && policy !== "Never") return [invalid(path, policy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

function selectorMatches(selector: JsonObject, labels: Record<string, string>): boolean {
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isExpression) : [];
  return matchesLabels(requirementsFromObject({ matchLabels: stringMap(selector.matchLabels), matchExpressions: expressions }), labels);
}

function isExpression(v: unknown): v is { key: string; operator: string; values?: string[] } {
  return isObject(v) && typeof v.key === "string" && typeof v.operator === "string";
}

/** validateGeneratedSelector: the uid labels selector generation put on the template are still there. */
function validateGeneratedSelector(job: JsonObject, prefixedLabels: boolean): StatusCause[] {
  const spec = isObject(job.spec) ? job.spec : {};
  if (spec.manualSelector === true || !isObject(spec.selector)) return [];
  const uid = str(meta(job).uid) ?? "";
  const name = str(meta(job).name) ?? "";
  const causes: StatusCause[] = [];
  if (uid === "") causes.push(required("metadata.uid"));
  const labels = stringMap(getPath(spec, ["template", "metadata", "labels"])) ?? {};
  const expected: Record<string, string> = { "controller-uid": uid, "job-name": name };
  if (prefixedLabels) Object.assign(expected, { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name });
  for (const key of ["controller-uid", "job-name", ...(prefixedLabels ? ["batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name"] : [])]) {
    const field = `spec.template.metadata.labels[${key}]`;
    if (labels[key] === undefined) causes.push(required(field, `must be '${expected[key]}'`));
    else if (labels[key] !== expected[key]) causes.push(invalid(field, labels, `must be '${expected[key]}'`));
  }
  if (!selectorMatches(spec.selector, expected)) causes.push(invalid("spec.selector", spec.selector, "`selector` not auto-generated"));
  return causes;
}

function validateSelector(spec: JsonObject): StatusCause[] {
  if (!isObject(spec.selector)) return [required("spec.selector")];
  const labels = stringMap(getPath(spec, ["template", "metadata", "labels"])) ?? {};
  if (selectorMatches(spec.selector, labels)) return [];
  return [invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`")];
}

/** ValidateJob, and on update ValidateJobSpecUpdate against the stored Job. */
export function validateJob(job: JsonObject, old?: JsonObject): StatusCause[] {
  const spec = isObject(job.spec) ? job.spec : {};
  const oldLabels = stringMap(getPath(old ?? {}, ["spec", "template", "metadata", "labels"])) ?? {};
  const prefixed = old === undefined || oldLabels["batch.kubernetes.io/controller-uid"] !== undefined;
  const causes = [...validateGeneratedSelector(job, prefixed), ...validateJobSpec(spec, "spec"), ...validateSelector(spec)];
  const completions = num(spec.completions);
  if (spec.completionMode === "Indexed" && completions !== undefined && completions > 0) {
    const name = str(meta(job).name) ?? "";
    const hostname = `${name}-${completions - 1}`;
    if (hostname.length > 63 || !DNS1123_LABEL.test(hostname)) {
      causes.push(invalid("metadata.name", name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  if (old && isObject(old.spec)) causes.push(...validateJobSpecUpdate(spec, old.spec, isSuspendedAndNotStarted(old)));
  return causes;
}

function isSuspendedAndNotStarted(old: JsonObject): boolean {
  return getPath(old, ["spec", "suspend"]) === true && getPath(old, ["status", "startTime"]) === undefined;
}

function validateJobSpecUpdate(spec: JsonObject, old: JsonObject, mutableScheduling: boolean): StatusCause[] {
  const causes = [...validateCompletionsUpdate(spec, old)];
  causes.push(...immutable(spec.selector, old.selector, "spec.selector"));
  const oldTemplate = mutableScheduling ? withSchedulingFrom(old.template, spec.template) : old.template;
  causes.push(...immutable(spec.template, oldTemplate, "spec.template"));
  for (const key of ["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"]) {
    causes.push(...immutable(spec[key], old[key], `spec.${key}`));
  }
  return causes;
}

/** Elastic Indexed Jobs: completions may change only together with parallelism, to the same value. */
function validateCompletionsUpdate(spec: JsonObject, old: JsonObject): StatusCause[] {
  if (spec.completionMode !== "Indexed") return immutable(spec.completions, old.completions, "spec.completions");
  if (spec.completions === old.completions || !has(spec.completions)) return [];
  if (spec.completions !== spec.parallelism) return [invalid("spec.completions", spec.completions, "can only be modified in tandem with spec.parallelism")];
  return [];
}

/**
 * A suspended Job that never started may change its template's scheduling directives (node
 * affinity, node selector, tolerations, labels, annotations, scheduling gates): the old
 * template takes the new values for those before the immutability check.
 */
function withSchedulingFrom(oldTemplate: unknown, template: unknown): unknown {
  if (!isObject(oldTemplate) || !isObject(template)) return oldTemplate;
  const spec = isObject(template.spec) ? template.spec : {};
  const oldSpec: JsonObject = isObject(oldTemplate.spec) ? { ...oldTemplate.spec } : {};
  const oldMeta: JsonObject = isObject(oldTemplate.metadata) ? { ...oldTemplate.metadata } : {};
  const newMeta = isObject(template.metadata) ? template.metadata : {};
  for (const key of ["labels", "annotations"]) setOrDelete(oldMeta, key, newMeta[key]);
  for (const key of ["nodeSelector", "tolerations", "schedulingGates"]) setOrDelete(oldSpec, key, spec[key]);
  const affinity: JsonObject = isObject(oldSpec.affinity) ? { ...oldSpec.affinity } : {};
  setOrDelete(affinity, "nodeAffinity", isObject(spec.affinity) ? spec.affinity.nodeAffinity : undefined);
  setOrDelete(oldSpec, "affinity", Object.keys(affinity).length > 0 || isObject(spec.affinity) ? affinity : undefined);
  const result: JsonObject = { ...oldTemplate, metadata: oldMeta, spec: oldSpec };
  if (Object.keys(oldMeta).length === 0 && template.metadata === undefined) delete result.metadata;
  return result;
}

function setOrDelete(obj: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete obj[key];
  else obj[key] = value;
}
