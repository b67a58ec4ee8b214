// Label selectors in the Kubernetes string syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`,
// plus `==` and the numeric `>` / `<`. Parsed once per request into predicates.
import { badRequest } from "../errors.js";

export type LabelRequirement =
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" }
  | { key: string; op: "gt" | "lt"; value: number };

export type Labels = Record<string, string> | undefined;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]{0,61}[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]{0,61}[a-z0-9A-Z])?)?$/;

/** Splits on commas that are not inside a `( … )` value set. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${selector}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value)) throw badRequest(`unable to parse requirement: invalid label value "${value}" in selector "${selector}"`);
  return value;
}

function parseOne(part: string, selector: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const values = set[3].split(",").map((v) => checkValue(v.trim(), selector));
    return { key: checkKey(set[1], selector), op: set[2] === "in" ? "in" : "notin", values };
  }
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(part);
  if (cmp) {
    const key = checkKey(cmp[1], selector);
    const raw = cmp[3].trim();
    if (cmp[2] === ">" || cmp[2] === "<") {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw)) throw badRequest(`unable to parse requirement: for 'gt', 'lt' operators, the value must be an integer, got "${raw}"`);
      return { key, op: cmp[2] === ">" ? "gt" : "lt", value };
    }
    return { key, op: cmp[2] === "!=" ? "notin" : "in", values: [checkValue(raw, selector)] };
  }
  if (part.startsWith("!")) return { key: checkKey(part.slice(1).trim(), selector), op: "!exists" };
  return { key: checkKey(part, selector), op: "exists" };
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTop(selector).map((p) => parseOne(p, selector));
}

export function matchesRequirement(req: LabelRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has && labels ? labels[req.key] : undefined;
  switch (req.op) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "in":
      return value !== undefined && req.values.includes(value);
    case "notin":
      return value === undefined || !req.values.includes(value);
    case "gt":
    case "lt": {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      return req.op === "gt" ? Number(value) > req.value : Number(value) < req.value;
    }
  }
}

export function matchesLabels(reqs: LabelRequirement[], labels: Labels): boolean {
  return reqs.every((r) => matchesRequirement(r, labels));
}

/** A structured LabelSelector (matchLabels + matchExpressions), as Deployments carry. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function requirementsFromObject(sel: LabelSelectorObject): LabelRequirement[] {
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: "in", values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === "in" || op === "notin") reqs.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === "exists") reqs.push({ key: e.key, op: "exists" });
    else if (op === "doesnotexist") reqs.push({ key: e.key, op: "!exists" });
  }
  return reqs;
}
