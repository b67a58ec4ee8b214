// Golden files: compare output with test/golden/NAME; UPDATE_GOLDEN=1 rewrites them (review the diff).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./cli.js";

export async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(REPO_ROOT, "test/golden", name);
  if (process.env.UPDATE_GOLDEN === "1") {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = await readFile(file, "utf8");
  } catch {
    throw new Error(`golden file ${file} is missing: run the test with UPDATE_GOLDEN=1 and review it`);
  }
  expect(actual).toBe(expected);
}
