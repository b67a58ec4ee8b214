#!/usr/bin/env node
// `npm run bench -- NAME [args]` runs dist/bench/NAME.js (built by prebench); no NAME lists them.
import { readdirSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const benchDir = path.join(root, "dist/bench");
const available = existsSync(benchDir)
  ? readdirSync(benchDir).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)).sort()
  : [];
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  if (name) process.stderr.write(`Error: no benchmark named "${name}"\n`);
  process.stdout.write(`benchmarks: ${available.join(", ") || "(none)"}\nusage: npm run bench -- NAME\n`);
  process.exit(name ? 1 : 0);
}
const result = spawnSync(process.execPath, [path.join(benchDir, `${name}.js`), ...rest], { stdio: "inherit" });
process.exit(result.status ?? 1);
