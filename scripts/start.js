#!/usr/bin/env node
// `npm start`: the main job in one foreground process — the built-in cluster, the GitOps
// controller and a demo app that follows a hosted git repository (berth quickstart). State is
// kept in .berth/ at the repository root and reused on the next start; delete it to reset.
// Arguments after `npm start --` go to `berth quickstart` (e.g. `npm start -- --once`).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist/bin/berth.js");
const args = [cli, "quickstart", "--data-dir", path.join(root, ".berth"), "--seed", path.join(root, "examples/demo-app"), ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: "inherit", cwd: root });
// Ctrl-C reaches the child through the terminal's process group; forward what arrives otherwise.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
