// Rules `berth lint` applies to each rendered object beyond "it parses": names a real API
// server would refuse are errors here rather than surprises at install time.
import type { Manifest } from "../manifest/index.js";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kinds whose names must be DNS-1123 labels (63 chars), not just subdomains (253). */
const LABEL_NAMED_KINDS = new Set(["Namespace", "Service", "Pod"]);

export function checkManifest(manifest: Manifest): string[] {
  const problems: string[] = [];
  const { kind, name } = manifest;
  const asLabel = LABEL_NAMED_KINDS.has(kind);
  const valid = asLabel ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  if (!valid) {
    problems.push(
      `${kind} "${name}": metadata.name is not a valid DNS-1123 ${asLabel ? "label" : "subdomain"} (lower-case letters, digits, '-'${asLabel ? "" : " and '.'"}, at most ${asLabel ? 63 : 253} characters)`,
    );
  }
  if (manifest.namespace !== undefined && !DNS1123_LABEL.test(manifest.namespace)) {
    problems.push(`${kind} "${name}": metadata.namespace "${manifest.namespace}" is not a valid namespace name`);
  }
  return problems;
}
