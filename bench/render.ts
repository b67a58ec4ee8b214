// `npm run bench -- render`: time to render a generated chart of 1,000 templates (5,000
// objects), in process, and the cold-start time of `berth template` on the example chart.
// Figures are printed, never asserted (README rule 5). Helm is not installed here, so there
// is no anchor to run side by side; the aims are printed beside the figures.
import { spawnSync } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { templateChart, formatTemplateOutput } from "../charts/templateAction.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TEMPLATES = 1000;
const OBJECTS_PER_TEMPLATE = 5;

function templateText(i: number): string {
  const docs: string[] = [];
  for (let j = 0; j < OBJECTS_PER_TEMPLATE; j++) {
    docs.push(
      [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        `  name: {{include "gen.fullname" this}}-${i}-${j}`,
        "  labels: {{nindent 4 (include \"gen.labels\" this)}}",
        "data:",
        `  index: {{quote "${i}-${j}"}}`,
        "  replicas: {{quote Values.replicaCount}}",
        "  image: {{Values.image.repository}}:{{default Chart.AppVersion Values.image.tag}}",
        "  settings: {{toJson Values.settings}}",
      ].join("\n"),
    );
  }
  return docs.join("\n---\n") + "\n";
}

async function generateChart(dir: string): Promise<void> {
  await mkdir(path.join(dir, "templates"), { recursive: true });
  await writeFile(path.join(dir, "Chart.yaml"), "apiVersion: v2\nname: gen\nversion: 1.0.0\nappVersion: '2.0'\n");
  await writeFile(
    path.join(dir, "values.yaml"),
    "replicaCount: 3\nimage:\n  repository: nginx\n  tag: ''\nsettings:\n  a: 1\n  b: [x, y]\n",
  );
  await writeFile(
    path.join(dir, "templates/_helpers.tpl"),
    '{{#define "gen.fullname"~}}{{Release.Name}}-{{Chart.Name}}{{~/define}}\n' +
      '{{#define "gen.labels"~}}\napp: {{Chart.Name}}\nrelease: {{Release.Name}}\n{{~/define}}\n',
  );
  await Promise.all(
    Array.from({ length: TEMPLATES }, (_, i) => writeFile(path.join(dir, `templates/t${i}.yaml`), templateText(i))),
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The first render in this process (what `berth template` pays) and the median re-render
 * (what the GitOps controller and repeated actions pay: parsed templates are cached). */
async function benchRender(dir: string): Promise<{ firstMs: number; againMs: number; objects: number }> {
  const times: number[] = [];
  let objects = 0;
  for (let run = 0; run < 6; run++) {
    const start = performance.now();
    const out = await templateChart({ chartPath: dir, releaseName: "bench", namespace: "default", userValues: {} });
    formatTemplateOutput(out);
    times.push(performance.now() - start);
    objects = out.documents.length;
  }
  return { firstMs: times[0], againMs: median(times.slice(1)), objects };
}

function benchColdStart(): number {
  const cli = path.join(ROOT, "dist/bin/berth.js");
  const times: number[] = [];
  for (let run = 0; run < 11; run++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [cli, "template", "demo", path.join(ROOT, "examples/hello")], { encoding: "utf8" });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`berth template failed: ${r.stderr}`);
    if (run > 0) times.push(ms);
  }
  return median(times);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "berth-bench-render-"));
  try {
    await generateChart(dir);
    const render = await benchRender(dir);
    const cold = benchColdStart();
    const rows = [
      ["render 1,000 templates, first", `${render.objects} objects`, `${render.firstMs.toFixed(0)} ms`, "< 1000 ms"],
      ["render 1,000 templates, again", `${render.objects} objects`, `${render.againMs.toFixed(0)} ms`, "(parse cache warm)"],
      ["berth template cold start", "examples/hello", `${cold.toFixed(0)} ms`, "< 300 ms"],
    ];
    process.stdout.write("benchmark                          input            time       aim\n");
    for (const r of rows) process.stdout.write(`${r[0].padEnd(35)}${r[1].padEnd(17)}${r[2].padEnd(11)}${r[3]}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
