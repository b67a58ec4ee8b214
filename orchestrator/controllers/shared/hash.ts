// Pod template hashing: the `pod-template-hash` label of a Deployment's ReplicaSets and the
// names of ControllerRevisions. Kubernetes hashes its Go struct dump with FNV-32a and then
// maps the decimal digits onto a vowel-free alphabet (rand.SafeEncodeString) so the value
// never spells words; we hash canonical JSON (sorted keys, nulls dropped) the same way, so the hash only
// changes when the template does, whatever key order a client sent.
import type { V1PodTemplateSpec } from "@kubernetes/client-node";

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
export const POD_TEMPLATE_HASH = "pod-template-hash";

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function safeEncode(text: string): string {
  let out = "";
  for (const ch of text) out += SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

/** Stable hash of an object; collisionCount (status.collisionCount) salts it after a name clash. */
export function computeHash(value: unknown, collisionCount?: number): string {
  const salt = collisionCount === undefined ? "" : `#${collisionCount}`;
  return safeEncode(String(fnv32a(canonicalJson(value) + salt)));
}

/** A template without the pod-template-hash label, so an RS's template compares with its Deployment's. */
export function withoutHashLabel(template: V1PodTemplateSpec | undefined): V1PodTemplateSpec {
  const copy: V1PodTemplateSpec = structuredClone(template ?? {});
  const labels = copy.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH in labels) {
    delete labels[POD_TEMPLATE_HASH];
    if (copy.metadata && Object.keys(labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

export function templatesEqualIgnoringHash(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b));
}
