// `berth search repo`: keyword search over the cached indexes, like `helm search repo`. The
// keyword matches a chart's REPO/NAME, description or keywords (case-insensitive substring);
// matches in the name rank first. Each chart shows its newest version satisfying the
// constraint (stable versions only unless the constraint names a prerelease), or every
// matching version with `versions`.
import semver from "semver";
import { UsageError } from "../core/errors.js";
import type { ChartVersion, IndexFile } from "./indexFile.js";

export interface SearchOptions {
  /** Empty or absent: every chart. */
  keyword?: string;
  /** SemVer constraint, e.g. "^1.2" or ">=1.0, <2.0". */
  version?: string;
  /** Every matching version instead of the newest per chart. */
  versions?: boolean;
}

export interface SearchResult {
  /** REPO/CHART */
  name: string;
  version: string;
  appVersion: string;
  description: string;
  chart: ChartVersion;
}

interface Line {
  repo: string;
  name: string;
  /** Lower-cased name, then description, then keywords, split by a separator the user cannot type. */
  text: string;
  nameLength: number;
  descriptionEnd: number;
  /** Newest first. */
  versions: ChartVersion[];
}

const SEP = "\u000b";

/** An in-memory search index over several repositories' indexes; build once, search many times. */
export class SearchIndex {
  private readonly lines: Line[] = [];

  constructor(repositories: readonly { repo: string; index: IndexFile }[]) {
    for (const { repo, index } of repositories) {
      for (const [name, versions] of index.entries) {
        const newest = versions[0];
        if (newest === undefined) continue;
        const fullName = `${repo}/${name}`.toLowerCase();
        const description = (newest.description ?? "").toLowerCase();
        const keywords = (newest.keywords ?? []).join(" ").toLowerCase();
        this.lines.push({
          repo,
          name,
          text: `${fullName}${SEP}${description}${SEP}${keywords}`,
          nameLength: fullName.length,
          descriptionEnd: fullName.length + 1 + description.length,
          versions,
        });
      }
    }
  }

  search(options: SearchOptions = {}): SearchResult[] {
    const range = searchRange(options.version);
    const term = (options.keyword ?? "").toLowerCase();
    const scored: { score: number; line: Line }[] = [];
    for (const line of this.lines) {
      const at = term === "" ? 0 : line.text.indexOf(term);
      if (at === -1) continue;
      scored.push({ score: at < line.nameLength ? 0 : at < line.descriptionEnd ? 1 : 2, line });
    }
    scored.sort((a, b) => a.score - b.score || compareText(`${a.line.repo}/${a.line.name}`, `${b.line.repo}/${b.line.name}`));
    const results: SearchResult[] = [];
    for (const { line } of scored) {
      const matching = line.versions.filter((v) => semver.satisfies(v.version, range, { loose: true }));
      for (const chart of options.versions ? matching : matching.slice(0, 1)) {
        results.push({
          name: `${line.repo}/${line.name}`,
          version: chart.version,
          appVersion: chart.appVersion ?? "",
          description: chart.description ?? "",
          chart,
        });
      }
    }
    return results;
  }
}

function searchRange(constraint: string | undefined): string {
  if (constraint === undefined || constraint.trim() === "") return "*";
  const range = semver.validRange(constraint.replace(/\s*,\s*/g, " "), { loose: true });
  if (range === null) throw new UsageError(`--version: ${JSON.stringify(constraint)} is not a valid version constraint`);
  return range;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
