// Chart.lock: reading, writing, and its digest. The digest is Helm's (internal/resolver
// HashReq): sha256 over the Go JSON encoding of [Chart.yaml dependencies, locked
// dependencies], so a lock written by berth and one written by Helm agree, and either tool's
// `dependency build` sees when Chart.yaml changed since the lock was written.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { ChartError } from "../../core/errors.js";
import { helmDependency } from "../../repo/chartEntry.js";
import { quotedTime } from "../../repo/indexFile.js";
import { formatYamlProblem, isPlainObject, isYamlProblem, parseYamlText, showValue } from "../loader/yamlDoc.js";
import type { ChartDependency, ChartLock } from "../model.js";

export type LockedDependency = ChartLock["dependencies"][number];

export const LOCK_FILE = "Chart.lock";

/** `sha256:HEX` of [requested, locked] as Go's encoding/json writes them. */
export function lockDigest(requested: readonly ChartDependency[], locked: readonly LockedDependency[]): string {
  const lockedJson = locked.map((d) => {
    const out: Record<string, unknown> = { name: d.name };
    if (d.version) out.version = d.version;
    out.repository = d.repository;
    return out;
  });
  const json = goJson([requested.map(helmDependency), lockedJson]);
  return `sha256:${createHash("sha256").update(json).digest("hex")}`;
}

/** JSON.stringify plus Go's HTML-safe escapes (<, >, & and the JS line separators). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Keys sorted as Helm (sigs.k8s.io/yaml) writes them. */
export function serializeLock(lock: ChartLock): string {
  const doc = {
    dependencies: lock.dependencies.map((d) => ({ name: d.name, repository: d.repository, version: d.version })),
    digest: lock.digest,
    generated: quotedTime(lock.generated),
  };
  return stringify(doc, { sortMapEntries: true, lineWidth: 0, indentSeq: false });
}

/** The chart folder's Chart.lock, or undefined when there is none. */
export async function readLockFile(chartDir: string): Promise<ChartLock | undefined> {
  const file = path.join(chartDir, LOCK_FILE);
  const text = await readFile(file, "utf8").catch(() => undefined);
  return text === undefined ? undefined : parseLockFile(text, file);
}

export function parseLockFile(text: string, label: string): ChartLock {
  const parsed = parseYamlText(text, label);
  if (isYamlProblem(parsed)) throw new ChartError(formatYamlProblem(parsed));
  const doc = parsed.value;
  if (!isPlainObject(doc)) throw new ChartError(`${label}: expected a map with dependencies and digest, got ${showValue(doc)}`);
  const deps = doc.dependencies ?? [];
  if (!Array.isArray(deps)) throw new ChartError(`${parsed.where(["dependencies"])}: dependencies: expected a list, got ${showValue(deps)}`);
  if (typeof doc.digest !== "string") throw new ChartError(`${parsed.where(["digest"])}: digest: expected a string, got ${showValue(doc.digest)}`);
  const dependencies = deps.map((d, i): LockedDependency => {
    const where = parsed.where(["dependencies", i]);
    if (!isPlainObject(d)) throw new ChartError(`${where}: dependencies[${i}]: expected a map, got ${showValue(d)}`);
    const field = (key: string): string => {
      const value = d[key] ?? "";
      if (typeof value !== "string") throw new ChartError(`${where}: dependencies[${i}].${key}: expected a string, got ${showValue(value)}`);
      return value;
    };
    return { name: field("name"), version: field("version"), repository: field("repository") };
  });
  const generated = doc.generated instanceof Date ? doc.generated.toISOString() : String(doc.generated ?? "");
  return { generated, digest: doc.digest, dependencies };
}
