#!/usr/bin/env node
// `npm start`: the main job. Until the cluster and GitOps parts land, it lints the example
// chart and renders it, so a fresh clone shows berth working in one command.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist/cli/main.js");
const chart = path.join(root, "examples/hello");

function berth(args) {
  process.stdout.write(`\n$ berth ${args.join(" ")}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

berth(["lint", "examples/hello"]);
berth(["template", "demo", "examples/hello", "--set", "replicaCount=2"]);
process.stdout.write(`\nThe chart is in ${chart}. Try: node dist/cli/main.js --help\n`);
