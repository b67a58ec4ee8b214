// `npm run bench -- repo`: time to index 1,000 chart versions (100 charts × 10 versions,
// packaged archives on disk) and search latency over that index (p50 / p99), both on the
// in-memory search index and including loading the cached index.yaml as `berth search repo`
// does. Figures are printed, never asserted.
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { deterministicTgz } from "../charts/package/index.js";
import { writeIndexDirectory } from "../repo/indexDirectory.js";
import { parseIndex, parseIndexDocument } from "../repo/indexFile.js";
import { readCachedIndex, writeCachedIndex } from "../repo/indexCache.js";
import { SearchIndex } from "../repo/search.js";

const CHARTS = 100;
const VERSIONS = 10;
const SEARCHES = 2000;
const KEYWORDS = ["chart-7", "database", "cache", "zzz-no-match", "web", "chart-42", "queue"];

async function writeArchives(dir: string): Promise<void> {
  const topics = ["web", "database", "cache", "queue", "monitoring"];
  for (let c = 0; c < CHARTS; c++) {
    const name = `chart-${c}`;
    for (let v = 0; v < VERSIONS; v++) {
      const chartYaml = [
        "apiVersion: v2",
        `name: ${name}`,
        `version: 1.${v}.0`,
        `appVersion: "${v}.0"`,
        `description: A ${topics[c % topics.length]} chart number ${c}`,
        `keywords: [${topics[(c + 1) % topics.length]}, bench]`,
      ].join("\n");
      const files = [
        { path: `${name}/Chart.yaml`, data: Buffer.from(chartYaml + "\n") },
        { path: `${name}/values.yaml`, data: Buffer.from("replicas: 1\n") },
        { path: `${name}/templates/cm.yaml`, data: Buffer.from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}\n") },
      ];
      await writeFile(path.join(dir, `${name}-1.${v}.0.tgz`), deterministicTgz(files));
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function row(cells: string[]): string {
  const widths = [34, 12, 12, 12];
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 12) : c.padStart(widths[i] ?? 12))).join("") + "\n";
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "berth-bench-repo-"));
  try {
    await mkdir(dir, { recursive: true });
    await writeArchives(dir);
    const indexRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await writeIndexDirectory(dir, { url: "https://charts.example.com" });
      indexRuns.push(performance.now() - start);
    }
    const text = await readFile(path.join(dir, "index.yaml"), "utf8");
    const loadStart = performance.now();
    const index = parseIndex(text, "index.yaml");
    const search = new SearchIndex([{ repo: "bench", index }]);
    const loadMs = performance.now() - loadStart;

    const latencies: number[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      const keyword = KEYWORDS[i % KEYWORDS.length];
      const start = performance.now();
      search.search({ keyword, versions: i % 2 === 0 });
      latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);
    const coldLatencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      new SearchIndex([{ repo: "bench", index: parseIndex(text, "index.yaml") }]).search({ keyword: "database" });
      coldLatencies.push(performance.now() - start);
    }
    coldLatencies.sort((a, b) => a - b);
    // What `berth search repo` does: read the repository cache (YAML + its parsed JSON twin).
    const paths = { configHome: path.join(dir, "config"), cacheHome: path.join(dir, "cache") };
    await writeCachedIndex(paths, "bench", { data: Buffer.from(text), document: parseIndexDocument(text, "index.yaml") });
    const cachedLatencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      new SearchIndex([{ repo: "bench", index: await readCachedIndex(paths, "bench") }]).search({ keyword: "database" });
      cachedLatencies.push(performance.now() - start);
    }
    cachedLatencies.sort((a, b) => a - b);

    const ms = (n: number) => `${n.toFixed(n < 1 ? 3 : 1)} ms`;
    process.stdout.write(`berth repo bench: ${CHARTS * VERSIONS} chart versions (${CHARTS} charts x ${VERSIONS}), index.yaml ${(text.length / 1024).toFixed(0)} KiB\n\n`);
    process.stdout.write(row(["measure", "median", "p50", "p99"]));
    const sortedIndex = [...indexRuns].sort((a, b) => a - b);
    process.stdout.write(row(["repo index (1,000 archives)", ms(percentile(sortedIndex, 50)), "-", "-"]));
    process.stdout.write(row(["load index.yaml + build search", ms(loadMs), "-", "-"]));
    process.stdout.write(row([`search (in memory, ${SEARCHES} queries)`, "-", ms(percentile(latencies, 50)), ms(percentile(latencies, 99))]));
    process.stdout.write(row(["search incl. parsing index.yaml", "-", ms(percentile(coldLatencies, 50)), ms(percentile(coldLatencies, 99))]));
    process.stdout.write(row(["search incl. reading the repo cache", "-", ms(percentile(cachedLatencies, 50)), ms(percentile(cachedLatencies, 99))]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
