#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js) into dist/bin/ with esbuild: one file for the
// commands every run needs, plus chunks for what commands import lazily. Loading a few large
// files instead of hundreds of small modules roughly halves berth's start-up time (see
// `npm run bench -- render`). Packages that read files next to their own code at run time
// stay external and load from node_modules as usual.
import { rm } from "node:fs/promises";
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Chunk names carry content hashes: clear the old ones so dist/bin holds one build only.
await rm(path.join(root, "dist/bin"), { recursive: true, force: true });
await build({
  // The components' worker thread (orchestrator/cluster/componentThread.ts) loads its own entry.
  entryPoints: { berth: path.join(root, "dist/cli/main.js"), "components-worker": path.join(root, "dist/orchestrator/cluster/componentsWorker.js") },
  outdir: path.join(root, "dist/bin"),
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
