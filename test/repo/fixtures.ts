// One fixture builder for repository tests: chart archives packaged from generated folders,
// a served repository on a real port, and berth config / cache homes in temp folders.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { packageChart } from "../../charts/package/index.js";
import { writeIndexDirectory } from "../../repo/indexDirectory.js";
import { serveRepo, type RunningRepoServer, type ServeOptions } from "../../repo/server.js";
import type { RepoPaths } from "../../repo/paths.js";
import { makeTempDir, writeFiles } from "../helpers/tmp.js";

export interface ChartSpec {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  keywords?: string[];
  /** Extra chart files (templates/…, values.yaml). */
  files?: Record<string, string>;
}

export function chartYamlOf(spec: ChartSpec): string {
  const lines = [`apiVersion: v2`, `name: ${spec.name}`, `version: ${spec.version}`];
  if (spec.appVersion) lines.push(`appVersion: "${spec.appVersion}"`);
  if (spec.description) lines.push(`description: ${spec.description}`);
  if (spec.keywords) lines.push(`keywords: [${spec.keywords.join(", ")}]`);
  return lines.join("\n") + "\n";
}

/** Writes the chart folder under `root/src/NAME-VERSION` and packages it into `dest`. */
export async function packageSpec(spec: ChartSpec, dest: string, root?: string): Promise<string> {
  const src = path.join(root ?? (await makeTempDir("berth-src-")), `${spec.name}-${spec.version}`);
  await writeFiles(src, { "Chart.yaml": chartYamlOf(spec), "values.yaml": "", ...spec.files });
  return packageChart(src, { destination: dest });
}

export const configMapTemplate = (name: string): Record<string, string> => ({
  "values.yaml": "greeting: hello\n",
  "templates/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-${name}\ndata:\n  greeting: {{quote Values.greeting}}\n`,
});

export interface ServedRepo {
  dir: string;
  url: string;
  server: RunningRepoServer;
}

/** Packages `specs`, indexes them with the server's URL, and serves the folder on 127.0.0.1:0. */
export async function serveCharts(specs: readonly ChartSpec[], options: ServeOptions = {}): Promise<ServedRepo> {
  const dir = await makeTempDir("berth-repo-");
  for (const spec of specs) await packageSpec(spec, dir);
  const server = await serveRepo(dir, { ...options, port: 0 });
  await writeIndexDirectory(dir, { url: server.url });
  return { dir, url: server.url, server };
}

export async function tempRepoPaths(): Promise<RepoPaths> {
  const root = await makeTempDir("berth-home-");
  return { configHome: path.join(root, "config"), cacheHome: path.join(root, "cache") };
}

export function envFor(paths: RepoPaths): Record<string, string> {
  return { BERTH_CONFIG_HOME: paths.configHome, BERTH_CACHE_HOME: paths.cacheHome };
}

/** Every file under `dir` with its bytes, to show a failure changed nothing. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.set(path.relative(dir, full), (await readFile(full)).toString("base64"));
    }
  };
  await walk(dir);
  return out;
}

/** A loopback URL nothing listens on (a port just released). */
export async function unreachableUrl(): Promise<string> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
