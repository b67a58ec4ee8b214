#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js) into dist/bin/ with esbuild: one file for the
// commands every run needs, plus chunks for what commands import lazily. Loading a few large
// files instead of hundreds of small modules roughly halves berth's start-up time (see
// `npm run bench -- render`). Packages that read files next to their own code at run time
// stay external and load from node_modules as usual.
import { readdir, rm, stat } from "node:fs/promises";
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const outdir = path.join(root, "dist/bin");
const result = await build({
  // The components' worker thread (orchestrator/cluster/componentThread.ts) loads its own entry.
  entryPoints: { berth: path.join(root, "dist/cli/main.js"), "components-worker": path.join(root, "dist/orchestrator/cluster/componentsWorker.js") },
  outdir,
  // Paths in the metafile (and chunk hashes) relative to the repository, wherever this runs from.
  absWorkingDir: root,
  metafile: true,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // ESM output still meets CommonJS packages that call require(); give them one.
  banner: { js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);" },
  external: ["etcd3", "pino", "thread-stream", "@grpc/*", "protobufjs", "fsevents"],
});

// Chunk names carry content hashes, so every build leaves the previous chunks behind. Remove
// those not in this build once they are a while old: a berth process started before this
// build may still load its own chunks lazily.
const STALE_MS = 10 * 60_000;
const current = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f)));
for (const name of await readdir(outdir)) {
  const file = path.join(outdir, name);
  if (current.has(file)) continue;
  const { mtimeMs } = await stat(file);
  if (Date.now() - mtimeMs > STALE_MS) await rm(file, { force: true });
}
