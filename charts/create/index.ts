// `berth create NAME`: scaffold a chart that renders and lints clean (Helm's `helm create`).
import { mkdir, writeFile, access } from "node:fs/promises";
import path from "node:path";
import { ChartError, UsageError } from "../../core/errors.js";
import { CHART_NAME_PLACEHOLDER, SCAFFOLD_FILES } from "./scaffold.js";

/** Helm's rule for chart names: lower-case letters, digits and dashes, starting with a letter. */
const CHART_NAME = /^[a-z][a-z0-9-]*$/;

export interface CreateChartOptions {
  /** Folder the chart folder is created in (default: the current directory). */
  parentDir?: string;
}

/** Writes NAME/ with the scaffold and returns its path; refuses to overwrite an existing folder. */
export async function createChart(name: string, options: CreateChartOptions = {}): Promise<string> {
  const base = path.basename(name);
  if (!CHART_NAME.test(base)) {
    throw new UsageError(`chart name "${base}" is invalid: use lower-case letters, digits and dashes, starting with a letter`);
  }
  const dir = path.resolve(options.parentDir ?? process.cwd(), name);
  if (await exists(dir)) {
    throw new ChartError(`${dir} already exists`, { hint: "choose another name or remove the folder" });
  }
  for (const [rel, content] of Object.entries(SCAFFOLD_FILES)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content.split(CHART_NAME_PLACEHOLDER).join(base));
  }
  return dir;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
