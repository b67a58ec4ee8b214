// `berth template` text: exactly `helm template`'s layout, each document after a
// `---` line and a `# Source:` comment naming its template.
import type { Manifest } from "./types.js";

export interface FormatOptions {
  /** Printed after the manifests, as `helm template` prints hooks (default: none). */
  hooks?: readonly Manifest[];
}

export function formatManifests(manifests: readonly Manifest[], options: FormatOptions = {}): string {
  return [...manifests, ...(options.hooks ?? [])].map((m) => `---\n# Source: ${m.source}\n${m.content}\n`).join("");
}
