// Reads a chart folder into a list of files, applying .helmignore. Chart folders also come
// from git repositories (GitOps), so a symlink is followed only when it stays inside the
// chart; one pointing elsewhere would let a repository read files off the machine.
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { ChartError } from "../../core/errors.js";
import type { ChartFile } from "../model.js";
import { HELMIGNORE, NO_IGNORE_RULES, parseHelmignore, type IgnoreRules } from "./helmignore.js";

export interface ReadChartDirOptions {
  /** Prefix of file names in messages, e.g. "mychart". */
  label: string;
}

/** Files of the chart folder `dir` (relative "/" paths, sorted), without ignored ones. */
export async function readChartDir(dir: string, options: ReadChartDirOptions): Promise<ChartFile[]> {
  const root = await realpath(dir);
  const rules = await readIgnoreRules(root, options.label);
  const files: ChartFile[] = [];
  await walk({ root, rules, label: options.label, files, visited: new Set([root]) }, "");
  return files;
}

async function readIgnoreRules(root: string, label: string): Promise<IgnoreRules> {
  let text: string;
  try {
    text = await readFile(path.join(root, HELMIGNORE), "utf8");
  } catch {
    return NO_IGNORE_RULES;
  }
  return parseHelmignore(text, `${label}/${HELMIGNORE}`);
}

interface WalkState {
  root: string;
  rules: IgnoreRules;
  label: string;
  files: ChartFile[];
  /** Real paths of folders already walked, so symlink cycles end. */
  visited: Set<string>;
}

async function walk(state: WalkState, relDir: string): Promise<void> {
  const absDir = relDir === "" ? state.root : path.join(state.root, relDir);
  // Dirent types spare an lstat per entry; only symlinks need resolving.
  const entries = (await readdir(absDir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const reads: Promise<ChartFile>[] = [];
  for (const entry of entries) {
    const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
    const abs = path.join(absDir, entry.name);
    // An ignored entry is skipped before anything else, so an ignored stray symlink is harmless.
    if (state.rules.ignores(rel, false)) continue;
    const target = entry.isSymbolicLink() ? await resolveEntry(state, abs, rel) : entry;
    if (target.isDirectory()) {
      if (state.rules.ignores(rel, true)) continue;
      const real = await realpath(abs);
      if (state.visited.has(real)) continue;
      state.visited.add(real);
      state.files.push(...(await Promise.all(reads.splice(0))));
      await walk(state, rel);
    } else {
      if (!target.isFile()) throw new ChartError(`${state.label}/${rel}: not a regular file (devices, sockets and fifos cannot be part of a chart)`);
      // Files of one folder are read concurrently and kept in name order.
      const read = readFile(abs).then((data) => ({ path: rel, data }));
      read.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
      reads.push(read);
    }
  }
  state.files.push(...(await Promise.all(reads)));
}

/** The stats of what `abs` is or points to; a symlink must resolve inside the chart. */
async function resolveEntry(state: WalkState, abs: string, rel: string) {
  const own = await lstat(abs);
  if (!own.isSymbolicLink()) return own;
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    throw new ChartError(`${state.label}/${rel}: broken symlink`, { cause: err });
  }
  if (real !== state.root && !real.startsWith(state.root + path.sep)) {
    throw new ChartError(`${state.label}/${rel}: symlink points outside the chart (to ${real})`);
  }
  return stat(abs);
}
