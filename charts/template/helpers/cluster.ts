// Helpers that look at the target cluster: `lookup` (through the render's LookupFn; an empty
// map when there is no cluster, as `helm template` does) and `semverCompare`.
import semver from "semver";
import { isPlainObject, text } from "./goValues.js";
import { helper, type HelperCall, type HelperTable } from "./spec.js";

// Masterminds accepts partial versions, a leading "v" and partial versions with a
// prerelease ("1.19-0"); npm's semver wants "1.19.0-0".
const PARTIAL = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function normaliseVersion(raw: string): string | undefined {
  const m = PARTIAL.exec(raw);
  if (!m) return undefined;
  const [, major, minor, patch, pre = "", build = ""] = m;
  if (pre === "") return `${major}${minor === undefined ? "" : `.${minor}`}${patch === undefined ? "" : `.${patch}`}${build}`;
  return `${major}.${minor ?? "0"}.${patch ?? "0"}${pre}${build}`;
}

/** A complete version to check: partial versions are padded with zeros, wildcards refused. */
function fullVersion(raw: string): semver.SemVer | null {
  const m = PARTIAL.exec(raw);
  if (!m || /[xX*]/.test(`${m[2] ?? ""}${m[3] ?? ""}`)) return null;
  const [, major, minor = "0", patch = "0", pre = "", build = ""] = m;
  return semver.parse(`${major}.${minor}.${patch}${pre}${build}`);
}

const OPERATOR = /^(>=|<=|=<|=>|!=|>|<|=|~>|~|\^)?\s*(.*)$/;

interface Comparator {
  op: string;
  version: string;
}

function parseComparator(token: string, constraint: string, call: HelperCall): Comparator {
  const m = OPERATOR.exec(token);
  const op = (m?.[1] ?? "").replace("=<", "<=").replace("=>", ">=").replace("~>", "~");
  const version = normaliseVersion(m?.[2] ?? "");
  if (version === undefined) call.fail(`semverCompare: improper constraint: ${constraint}`);
  return { op, version };
}

/** One AND group: comparators separated by spaces or commas; "A - B" is a hyphen range. */
function andGroup(group: string, constraint: string, call: HelperCall): string[] {
  const tokens = group.replaceAll(",", " ").replace(/([<>=~^!]+)\s+/g, "$1").trim().split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i + 1] === "-" && i + 2 < tokens.length) {
      out.push(`${tokens[i]} - ${tokens[i + 2]}`);
      i += 2;
    } else if (tokens[i] !== "") out.push(tokens[i]);
  }
  if (out.length === 0) call.fail(`semverCompare: improper constraint: ${constraint}`);
  return out;
}

// Masterminds checks each comparator on its own: a prerelease version only satisfies a
// comparator that itself names a prerelease (so ">=1.20.0-0" admits "1.28.3-gke.1").
function satisfiesOne(version: semver.SemVer, token: string, constraint: string, call: HelperCall): boolean {
  if (token.includes(" - ")) {
    const [low = "", high = ""] = token.split(" - ");
    return satisfiesOne(version, `>=${low}`, constraint, call) && satisfiesOne(version, `<=${high}`, constraint, call);
  }
  const { op, version: v } = parseComparator(token, constraint, call);
  const includePrerelease = v.includes("-");
  if (op === "!=") return !semver.satisfies(version, v, { includePrerelease: true });
  const range = semver.validRange(`${op}${v}`, { includePrerelease });
  if (range === null) call.fail(`semverCompare: improper constraint: ${constraint}`);
  return semver.satisfies(version, range, { includePrerelease });
}

export function semverCompare(constraint: string, rawVersion: string, call: HelperCall): boolean {
  const version = fullVersion(rawVersion.trim());
  if (version === null) return call.fail(`semverCompare: invalid semantic version: ${JSON.stringify(rawVersion)}`);
  return constraint.split("||").some((group) => andGroup(group, constraint, call).every((token) => satisfiesOne(version, token, constraint, call)));
}

export const clusterHelpers: HelperTable = {
  lookup: helper(4, 4, ([apiVersion, kind, namespace, name], call) => {
    const found = call.runtime.lookup(text(apiVersion), text(kind), text(namespace), text(name));
    return isPlainObject(found) ? found : {};
  }),
  semverCompare: helper(2, 2, ([constraint, version], call) => semverCompare(text(constraint), text(version), call)),
};
