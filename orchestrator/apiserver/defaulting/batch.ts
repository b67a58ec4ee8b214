// batch/v1 defaults as Kubernetes 1.32 sets them (pkg/apis/batch/v1/defaults.go plus the pod
// template's core defaults). A Job template's restartPolicy is deliberately not defaulted here:
// the core default is Always, which Job validation refuses, so a Job that names none gets
// kube-apiserver's "Required value" for it.
import { arrayOf, child, getPath, isObject, type JsonObject } from "../object.js";

/** math.MaxInt32: backoffLimit when failures are counted per index instead. */
export const MAX_BACKOFF_LIMIT = 2147483647;

function setDefault(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined) obj[key] = value;
}

function defaultPodFailurePolicy(spec: JsonObject): void {
  const policy = spec.podFailurePolicy;
  if (!isObject(policy)) return;
  for (const rule of arrayOf(policy.rules)) {
    if (!isObject(rule)) continue;
    for (const pattern of arrayOf(rule.onPodConditions)) if (isObject(pattern)) setDefault(pattern, "status", "True");
  }
}

/**
 * SetDefaults_Job. Runs after the selector is generated, so a Job without labels takes the
 * template's, controller-uid and job-name included, as a real cluster's Jobs show.
 */
export function defaultJob(obj: JsonObject, defaultPodSpec: (spec: JsonObject) => void): void {
  const spec = child(obj, "spec");
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  setDefault(spec, "parallelism", 1);
  setDefault(spec, "backoffLimit", spec.backoffLimitPerIndex === undefined ? 6 : MAX_BACKOFF_LIMIT);
  const templateLabels = getPath(spec, ["template", "metadata", "labels"]);
  const m = child(obj, "metadata");
  if (isObject(templateLabels) && (!isObject(m.labels) || Object.keys(m.labels).length === 0)) m.labels = { ...templateLabels };
  setDefault(spec, "completionMode", "NonIndexed");
  setDefault(spec, "suspend", false);
  defaultPodFailurePolicy(spec);
  setDefault(spec, "podReplacementPolicy", isObject(spec.podFailurePolicy) ? "Failed" : "TerminatingOrFailed");
  setDefault(spec, "manualSelector", false);
  const template = getPath(spec, ["template", "spec"]);
  if (isObject(template)) defaultJobPodSpec(template, defaultPodSpec);
}

/** SetDefaults_CronJob; the Job template's spec gets only the pod template's core defaults. */
export function defaultCronJob(obj: JsonObject, defaultPodSpec: (spec: JsonObject) => void): void {
  const spec = child(obj, "spec");
  setDefault(spec, "concurrencyPolicy", "Allow");
  setDefault(spec, "suspend", false);
  setDefault(spec, "successfulJobsHistoryLimit", 3);
  setDefault(spec, "failedJobsHistoryLimit", 1);
  const template = getPath(spec, ["jobTemplate", "spec", "template", "spec"]);
  if (isObject(template)) defaultJobPodSpec(template, defaultPodSpec);
}

/** The core pod defaults without restartPolicy: Always would only turn into a validation error. */
function defaultJobPodSpec(template: JsonObject, defaultPodSpec: (spec: JsonObject) => void): void {
  const unset = template.restartPolicy === undefined;
  defaultPodSpec(template);
  if (unset) delete template.restartPolicy;
}
