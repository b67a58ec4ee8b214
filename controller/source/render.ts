// What a commit declares for an app: the objects of a chart (rendered with release name = app
// name, namespace = destination) or of a folder of plain manifests, each with its sync wave and
// hook. Errors name the file and line (they become the app's ComparisonError condition).
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { chartFromFiles, readChartDir } from "../../charts/loader/index.js";
import { splitDocuments, toManifest } from "../../charts/manifest/split.js";
import type { Manifest } from "../../charts/manifest/index.js";
import type { Values } from "../../charts/model.js";
import { renderRelease } from "../../charts/render.js";
import { mergeMaps, parseSetInto, parseValuesYaml } from "../../charts/values/index.js";
import { TemplateError } from "../../core/errors.js";
import { isRecord, isUnstructured, type Unstructured } from "../../kube/client/index.js";
import type { HelmSource } from "../application/types.js";
import { hookOf, waveOf, type DesiredResource } from "./resource.js";

export interface RenderSourceOptions {
  /** The commit's tree (read-only). */
  dir: string;
  /** The app's source path inside the repository. */
  sourcePath: string;
  helm?: HelmSource;
  releaseName: string;
  namespace: string;
}

/** Resolves `rel` inside `root`, refusing paths that climb out of the checkout. */
function inside(root: string, rel: string, what: string): string {
  const resolved = path.resolve(root, rel);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) throw new TemplateError(`${what} "${rel}" leaves the repository`);
  return resolved;
}

export async function renderSource(options: RenderSourceOptions): Promise<DesiredResource[]> {
  const root = path.resolve(options.dir);
  const dir = inside(root, options.sourcePath, "spec.source.path");
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new TemplateError(`spec.source.path: "${options.sourcePath}" is not a folder at this commit`);
  const isChart = await stat(path.join(dir, "Chart.yaml")).then((s) => s.isFile(), () => false);
  const manifests = isChart ? await renderChartAt(dir, options) : await readPlainManifests(dir, options.sourcePath);
  return manifests.flatMap((m) => toDesired(m));
}

async function renderChartAt(dir: string, options: RenderSourceOptions): Promise<Manifest[]> {
  const label = options.sourcePath === "." ? path.basename(dir) : options.sourcePath;
  const files = await readChartDir(dir, { label });
  const chart = await chartFromFiles(files, { source: label, label });
  const userValues = await helmValues(dir, options);
  const rendered = renderRelease(chart, { releaseName: options.releaseName, namespace: options.namespace, userValues });
  const crds = rendered.crds.flatMap((c) => splitDocuments(c.file.data.toString("utf8")).map((d) => toManifest(c.source, d)));
  return [...crds, ...rendered.manifests, ...rendered.hooks];
}

/** Helm's precedence: value files in order, then inline values, then parameters. */
async function helmValues(dir: string, options: RenderSourceOptions): Promise<Values> {
  const helm = options.helm;
  if (!helm) return {};
  let values: Values = {};
  for (const file of helm.valueFiles) {
    const full = inside(dir, file, "spec.source.helm.valueFiles");
    const text = await readFile(full, "utf8").catch((err: unknown) => {
      throw new TemplateError(`spec.source.helm.valueFiles: ${file}: not found at this commit`, { cause: err });
    });
    values = mergeMaps(values, parseValuesYaml(text, { source: path.posix.join(options.sourcePath, file) }));
  }
  if (helm.values) values = mergeMaps(values, parseValuesYaml(helm.values, { source: "spec.source.helm.values" }));
  for (const p of helm.parameters) parseSetInto("set", `${p.name}=${p.value}`, values);
  return values;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

async function readPlainManifests(dir: string, sourcePath: string): Promise<Manifest[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && MANIFEST_FILE.test(e.name)).map((e) => e.name).sort();
  const out: Manifest[] = [];
  for (const name of names) {
    const text = await readFile(path.join(dir, name), "utf8");
    const label = path.posix.join(sourcePath, name);
    for (const doc of splitDocuments(text)) out.push(toManifest(label, doc));
  }
  return out;
}

function toDesired(m: Manifest): DesiredResource[] {
  const object: unknown = m.object;
  if (!isUnstructured(object)) throw new TemplateError(`${m.source}: ${m.kind} ${m.name}: metadata must be a map`);
  const annotations = stringAnnotations(object.metadata.annotations);
  const hook = hookOf(annotations, m.source);
  // Helm test / delete / rollback hooks have no place in a sync.
  if (hook === "skip") return [];
  if (!object.metadata.name && !(hook && object.metadata.generateName)) {
    const why = object.metadata.generateName ? "metadata.generateName works on hooks only; give it a metadata.name" : "metadata.name is required";
    throw new TemplateError(`${m.source}: ${m.kind}: ${why}`);
  }
  const resource: DesiredResource = { object: plain(object), source: m.source, wave: waveOf(annotations, m.source) };
  if (hook) resource.hook = hook;
  return [resource];
}

/** Annotation values as strings: YAML may have read `sync-wave: 1` as a number. */
function stringAnnotations(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

function plain(obj: Unstructured): Unstructured {
  return structuredClone(obj);
}
