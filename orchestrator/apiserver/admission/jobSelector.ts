// Jobs select their pods by the Job's uid, generated on create as kube-apiserver's Job
// strategy does (pkg/registry/batch/job/strategy.go generateSelector), unless the user set
// spec.manualSelector. The uid makes a Job's pods match that Job only, even when a Job of the
// same name is deleted and created again.
import { child, isObject, meta, str, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";

export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
const LEGACY_JOB_NAME_LABEL = "job-name";

export function generateJobSelector(info: Pick<ResourceInfo, "group" | "kind" | "custom">, obj: JsonObject): void {
  if (info.custom || info.group !== "batch" || info.kind !== "Job") return;
  const spec = child(obj, "spec");
  if (spec.manualSelector === true) return;
  const uid = str(meta(obj).uid) ?? "";
  const name = str(meta(obj).name) ?? "";
  const labels = child(child(child(spec, "template"), "metadata"), "labels");
  // A user-set job-name label is kept; validation would reject a conflicting selector.
  if (labels[LEGACY_JOB_NAME_LABEL] === undefined) {
    labels[CONTROLLER_UID_LABEL] = uid;
    labels[JOB_NAME_LABEL] = name;
    labels[LEGACY_CONTROLLER_UID_LABEL] = uid;
    labels[LEGACY_JOB_NAME_LABEL] = name;
  }
  const selector = isObject(spec.selector) ? spec.selector : {};
  spec.selector = selector;
  const matchLabels = child(selector, "matchLabels");
  if (matchLabels[CONTROLLER_UID_LABEL] === undefined) matchLabels[CONTROLLER_UID_LABEL] = uid;
}
