// batch/v1 CronJob validation as kube-apiserver 1.32 words it (validateCronJobSpec,
// validateTimeZone, ValidateJobTemplateSpec in pkg/apis/batch/validation/validation.go).
import type { StatusCause } from "../errors.js";
import { getPath, isObject, meta, str, type JsonObject } from "../object.js";
import { cronScheduleError } from "./cronSchedule.js";
import { invalid, nonNegative, notSupported, required } from "./fieldErrors.js";
import { validateJobSpec } from "./job.js";

const MAX_NAME = 52;
const CONCURRENCY = ["Allow", "Forbid", "Replace"];
/** One path component of an IANA name; digits and '+' are tolerated for legacy names. */
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** ValidateCronJobCreate / ValidateCronJobUpdate. */
export function validateCronJob(cronJob: JsonObject, old?: JsonObject): StatusCause[] {
  const spec = isObject(cronJob.spec) ? cronJob.spec : {};
  const oldSpec = old && isObject(old.spec) ? old.spec : undefined;
  const causes = validateCronJobSpec(spec, oldSpec);
  const name = str(meta(cronJob).name) ?? "";
  // The controller appends an 11-character "-<minutes>" suffix to name its Jobs; kept on update.
  if (!old && name.length > MAX_NAME) causes.push(invalid("metadata.name", name, `must be no more than ${MAX_NAME} characters`));
  return causes;
}

function validateCronJobSpec(spec: JsonObject, oldSpec: JsonObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const schedule = typeof spec.schedule === "string" ? spec.schedule : "";
  if (schedule === "") causes.push(required("spec.schedule"));
  else causes.push(...validateSchedule(schedule, spec.timeZone, typeof oldSpec?.schedule === "string" && oldSpec.schedule.includes("TZ")));
  causes.push(...nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"));
  if (oldSpec === undefined || oldSpec.timeZone !== spec.timeZone) causes.push(...validateTimeZone(spec.timeZone));
  const policy = spec.concurrencyPolicy;
  if (policy === undefined || policy === "") causes.push(required("spec.concurrencyPolicy"));
  else if (typeof policy !== "string" || !CONCURRENCY.includes(policy)) causes.push(notSupported("spec.concurrencyPolicy", policy, CONCURRENCY));
  causes.push(...validateJobTemplate(isObject(spec.jobTemplate) ? spec.jobTemplate : {}));
  causes.push(...nonNegative(spec.successfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit"));
  causes.push(...nonNegative(spec.failedJobsHistoryLimit, "spec.failedJobsHistoryLimit"));
  return causes;
}

/** An inline TZ= is refused on create; a CronJob stored with one may keep it but not add a timeZone. */
function validateSchedule(schedule: string, timeZone: unknown, allowTZ: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const err = cronScheduleError(schedule);
  if (err) causes.push(invalid("spec.schedule", schedule, err));
  if (allowTZ && schedule.includes("TZ") && timeZone !== undefined && timeZone !== null) {
    causes.push(invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
  } else if (!allowTZ && schedule.includes("TZ")) {
    causes.push(invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  }
  return causes;
}

function validateTimeZone(zone: unknown): StatusCause[] {
  if (zone === undefined || zone === null) return [];
  const path = "spec.timeZone";
  if (typeof zone !== "string" || zone === "") return [invalid(path, zone, "timeZone must be nil or non-empty string")];
  for (const part of zone.split("/")) {
    if (part === "." || part === ".." || part.startsWith("-") || !ZONE_PART.test(part)) return [invalid(path, zone, `unknown time zone ${zone}`)];
  }
  if (zone.toLowerCase() === "local") return [invalid(path, zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")];
  return isLoadableZone(zone) ? [] : [invalid(path, zone, `unknown time zone ${zone}`)];
}

/**
 * time.LoadLocation's answer from the runtime's zone data. ICU matches names without regard to
 * case where Go's zoneinfo lookup does not, so a name ICU only knows in another case is refused.
 */
function isLoadableZone(zone: string): boolean {
  if (zone === "UTC") return true;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}

/** ValidateJobTemplateSpec: the Job spec rules, and the selector is always generated. */
function validateJobTemplate(template: JsonObject): StatusCause[] {
  const spec = isObject(template.spec) ? template.spec : {};
  const causes = validateJobSpec(spec, "spec.jobTemplate.spec");
  if (spec.selector !== undefined && spec.selector !== null) causes.push(invalid("spec.jobTemplate.spec.selector", spec.selector, "`selector` will be auto-generated"));
  if (getPath(spec, ["manualSelector"]) === true) causes.push(notSupported("spec.jobTemplate.spec.manualSelector", true, ["nil", "false"]));
  return causes;
}
