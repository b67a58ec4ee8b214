// A real in-memory ReleaseStorage (model: Helm's storage/driver/memory.go): the same contract as
// the Secrets storage, including compare-and-swap, for fast tests and dry runs.
import { ConflictError, NotFoundError } from "../../core/errors.js";
import type { Release } from "../model.js";
import type { ListFilter, ReleaseRef, ReleaseStorage } from "./storage.js";
import { recordName } from "./codec.js";
import { summarize, type ReleaseSummary } from "../summary.js";

interface Entry {
  json: string;
  storageVersion: string;
}

export class MemoryReleaseStorage implements ReleaseStorage {
  // Records are kept serialised so callers can never mutate stored state through a reference.
  private readonly records = new Map<string, Entry>();
  private counter = 0;

  private key(ref: ReleaseRef, version: number): string {
    return `${ref.namespace}/${recordName(ref.name, version)}`;
  }

  private store(release: Release): Release {
    const storageVersion = String(++this.counter);
    const { storageVersion: _ignored, ...payload } = release;
    this.records.set(this.key(release, release.version), { json: JSON.stringify(payload), storageVersion });
    return { ...structuredClone(payload), storageVersion };
  }

  private load(entry: Entry): Release {
    const release = JSON.parse(entry.json) as Release;
    return { ...release, storageVersion: entry.storageVersion };
  }

  async create(release: Release): Promise<Release> {
    if (this.records.has(this.key(release, release.version))) {
      throw new ConflictError(`release ${release.name} revision ${release.version} already exists in namespace ${release.namespace}`, {
        hint: "another operation on this release is running; retry when it is done",
      });
    }
    return this.store(release);
  }

  async update(release: Release): Promise<Release> {
    const current = this.records.get(this.key(release, release.version));
    if (!current) throw notFound(release, release.version);
    if (release.storageVersion !== undefined && release.storageVersion !== current.storageVersion) {
      throw new ConflictError(`release ${release.name} revision ${release.version} was changed by another operation`, {
        hint: "retry the command",
      });
    }
    return this.store(release);
  }

  async get(ref: ReleaseRef, version: number): Promise<Release> {
    const entry = this.records.get(this.key(ref, version));
    if (!entry) throw notFound(ref, version);
    return this.load(entry);
  }

  async list(filter: ListFilter = {}): Promise<Release[]> {
    const out: Release[] = [];
    for (const entry of this.records.values()) {
      const release = this.load(entry);
      if (filter.namespace !== undefined && release.namespace !== filter.namespace) continue;
      if (filter.statuses && !filter.statuses.includes(release.info.status)) continue;
      out.push(release);
    }
    return out;
  }

  async summaries(filter: ListFilter = {}): Promise<ReleaseSummary[]> {
    return (await this.list(filter)).map(summarize);
  }

  async history(ref: ReleaseRef): Promise<Release[]> {
    const all = await this.list({ namespace: ref.namespace });
    return all.filter((r) => r.name === ref.name).sort((a, b) => a.version - b.version);
  }

  async delete(ref: ReleaseRef, version: number): Promise<Release> {
    const key = this.key(ref, version);
    const entry = this.records.get(key);
    if (!entry) throw notFound(ref, version);
    this.records.delete(key);
    return this.load(entry);
  }
}

export function notFound(ref: ReleaseRef, version: number): NotFoundError {
  return new NotFoundError(`release ${ref.name}: revision ${version} not found in namespace ${ref.namespace}`);
}
