// A Job's podFailurePolicy and successPolicy, checked as kube-apiserver 1.32 does
// (pkg/apis/batch/validation/validation.go validatePodFailurePolicy, validateSuccessPolicy).
import type { StatusCause } from "../errors.js";
import { arrayOf, isObject, type JsonObject } from "../object.js";
import { duplicate, has, invalid, invalidOmitValue, nonNegative, notSupported, required, tooLong, tooMany } from "./fieldErrors.js";

const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;
const MAX_SUCCESS_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"];
const OPERATORS = ["In", "NotIn"];
const CONDITION_STATUSES = ["False", "True", "Unknown"];
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Go's %q of a []string: ["Count" "FailIndex"]. */
function goList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(" ")}]`;
}

function containerNames(spec: JsonObject): Set<string> {
  const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
  const names = new Set<string>();
  for (const c of [...arrayOf(template.containers), ...arrayOf(template.initContainers)]) {
    if (isObject(c) && typeof c.name === "string") names.add(c.name);
  }
  return names;
}

export function validatePodFailurePolicy(spec: JsonObject, path: string): StatusCause[] {
  const policy = isObject(spec.podFailurePolicy) ? spec.podFailurePolicy : {};
  const rules = arrayOf(policy.rules);
  const causes: StatusCause[] = [];
  if (rules.length > MAX_RULES) causes.push(tooMany(`${path}.rules`, rules.length, MAX_RULES));
  const names = containerNames(spec);
  rules.forEach((rule, i) => causes.push(...validateFailureRule(spec, isObject(rule) ? rule : {}, `${path}.rules[${i}]`, names)));
  return causes;
}

function validateFailureRule(spec: JsonObject, rule: JsonObject, path: string, names: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  const action = rule.action;
  if (action === undefined || action === "") causes.push(required(`${path}.action`, `valid values: ${goList(ACTIONS)}`));
  else if (action === "FailIndex") {
    if (!has(spec.backoffLimitPerIndex)) causes.push(invalid(`${path}.action`, action, "requires the backoffLimitPerIndex to be set"));
  } else if (typeof action !== "string" || !ACTIONS.includes(action)) causes.push(notSupported(`${path}.action`, action, ACTIONS));
  const onExitCodes = isObject(rule.onExitCodes) ? rule.onExitCodes : undefined;
  const onPodConditions = arrayOf(rule.onPodConditions);
  if (onExitCodes) causes.push(...validateOnExitCodes(onExitCodes, `${path}.onExitCodes`, names));
  if (onPodConditions.length > 0) causes.push(...validateOnPodConditions(onPodConditions, `${path}.onPodConditions`));
  if (onExitCodes && onPodConditions.length > 0) causes.push(invalidOmitValue(path, "specifying both OnExitCodes and OnPodConditions is not supported"));
  if (!onExitCodes && onPodConditions.length === 0) causes.push(invalidOmitValue(path, "specifying one of OnExitCodes and OnPodConditions is required"));
  return causes;
}

function validateOnExitCodes(req: JsonObject, path: string, names: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  const op = req.operator;
  if (op === undefined || op === "") causes.push(required(`${path}.operator`, `valid values: ${goList(OPERATORS)}`));
  else if (typeof op !== "string" || !OPERATORS.includes(op)) causes.push(notSupported(`${path}.operator`, op, OPERATORS));
  if (typeof req.containerName === "string" && !names.has(req.containerName)) {
    causes.push(invalid(`${path}.containerName`, req.containerName, "must be one of the container or initContainer names in the pod template"));
  }
  const values = arrayOf(req.values).filter((v): v is number => typeof v === "number");
  if (values.length === 0) causes.push(invalid(`${path}.values`, values, "at least one value is required"));
  else if (values.length > MAX_EXIT_CODES) causes.push(tooMany(`${path}.values`, values.length, MAX_EXIT_CODES));
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((v, j) => {
    if (op === "In" && v === 0) causes.push(invalid(`${path}.values[${j}]`, v, "must not be 0 for the In operator"));
    if (seen.has(v)) causes.push(duplicate(`${path}.values[${j}]`, v));
    seen.add(v);
    if (j > 0 && values[j - 1] > v) ordered = false;
  });
  if (!ordered) causes.push(invalid(`${path}.values`, values, "must be ordered"));
  return causes;
}

function validateOnPodConditions(patterns: unknown[], path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (patterns.length > MAX_CONDITION_PATTERNS) causes.push(tooMany(path, patterns.length, MAX_CONDITION_PATTERNS));
  patterns.forEach((p, j) => {
    const pattern = isObject(p) ? p : {};
    const type = typeof pattern.type === "string" ? pattern.type : "";
    if (type === "") causes.push(required(`${path}[${j}].type`, "name part must be non-empty"));
    else if (!QUALIFIED_NAME.test(type)) {
      causes.push(invalid(`${path}[${j}].type`, type, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
    }
    const status = pattern.status;
    if (status === undefined || status === "") causes.push(required(`${path}[${j}].status`, `valid values: ${goList(CONDITION_STATUSES)}`));
    else if (typeof status !== "string" || !CONDITION_STATUSES.includes(status)) causes.push(notSupported(`${path}[${j}].status`, status, CONDITION_STATUSES));
  });
  return causes;
}

export function validateSuccessPolicy(spec: JsonObject, path: string): StatusCause[] {
  const policy = isObject(spec.successPolicy) ? spec.successPolicy : {};
  const rules = arrayOf(policy.rules);
  const causes: StatusCause[] = [];
  if (rules.length === 0) causes.push(required(`${path}.rules`, "at least one rules must be specified when the successPolicy is specified"));
  if (rules.length > MAX_SUCCESS_RULES) causes.push(tooMany(`${path}.rules`, rules.length, MAX_SUCCESS_RULES));
  const completions = typeof spec.completions === "number" ? spec.completions : undefined;
  rules.forEach((rule, i) => causes.push(...validateSuccessRule(isObject(rule) ? rule : {}, `${path}.rules[${i}]`, completions)));
  return causes;
}

function validateSuccessRule(rule: JsonObject, path: string, completions: number | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const indexes = typeof rule.succeededIndexes === "string" ? rule.succeededIndexes : undefined;
  const count = typeof rule.succeededCount === "number" ? rule.succeededCount : undefined;
  if (indexes === undefined && count === undefined) causes.push(required(path, "at least one of succeededCount or succeededIndexes must be specified"));
  // Indexed mode requires completions; without it that error is already reported.
  if (completions === undefined) return causes;
  let total = 0;
  if (indexes !== undefined) {
    if (indexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) {
      causes.push(tooLong(`${path}.succeededIndexes`, MAX_SUCCEEDED_INDEXES_LENGTH));
    }
    const parsed = parseIndexes(indexes, completions);
    if (typeof parsed === "string") causes.push(invalid(`${path}.succeededIndexes`, indexes, `error parsing succeededIndexes: ${parsed}`));
    else total = parsed;
  }
  if (count !== undefined) {
    causes.push(...nonNegative(count, `${path}.succeededCount`));
    if (count > completions) causes.push(invalid(`${path}.succeededCount`, count, `must be less than or equal to ${completions} (the number of specified completions)`));
    if (indexes !== undefined && count > total) {
      causes.push(invalid(`${path}.succeededCount`, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
    }
  }
  return causes;
}

/** validateIndexesFormat: the number of indexes in "1,3-5", or the error text. */
export function parseIndexes(text: string, completions: number): number | string {
  if (text === "") return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of text.split(",")) {
    const limits = interval.split("-");
    if (limits.length > 2) return `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    for (const [i, limit] of limits.entries()) {
      if (!/^[+-]?\d+$/.test(limit)) return `cannot convert string to integer for index: ${JSON.stringify(limit)}`;
      const x = Number(limit);
      if (x >= completions) return `too large index: ${JSON.stringify(limit)}`;
      if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
      total += i === 0 ? 1 : x - (last ?? 0);
      last = x;
    }
  }
  return total;
}
