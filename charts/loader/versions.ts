// Version rules of Chart.yaml: chart versions are strict SemVer 2; kubeVersion and
// dependency versions are constraints in Helm's (Masterminds) syntax, checked with `semver`.
import semver from "semver";

/** Strict SemVer 2: no leading "v" or "=", no surrounding space, no missing minor / patch. */
export function isSemver2(version: string): boolean {
  return /^\d/.test(version) && version.trim() === version && semver.parse(version) !== null;
}

/**
 * Masterminds writes AND as "," (">= 1.2, < 2"); node-semver writes it as a space.
 * Everything else Helm charts use ("^", "~", "x", "||", hyphen ranges) reads the same.
 */
export function toSemverRange(constraint: string): string {
  return constraint.replace(/\s*,\s*/g, " ").trim();
}

export function isVersionConstraint(constraint: string): boolean {
  if (constraint.trim() === "") return false;
  return semver.validRange(toSemverRange(constraint)) !== null;
}
