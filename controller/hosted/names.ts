// Hosted repository names and where they live. A name is the only user input that becomes a
// path, so it is checked against a strict pattern and the resulting folder against the root.
import path from "node:path";
import { UsageError } from "../../core/errors.js";

export const REPO_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9._/-]+(?<!\/)$/;

export function isValidRepoName(name: string): boolean {
  return name.length <= 100 && REPO_NAME.test(name) && !name.includes("..") && !name.endsWith(".git") && !name.endsWith(".");
}

/** The bare repository folder `root/<name>.git`; throws on a name that is not allowed. */
export function hostedRepoDir(root: string, name: string): string {
  if (!isValidRepoName(name)) {
    throw new UsageError(`invalid repository name ${JSON.stringify(name)}: expected ${REPO_NAME.source} without ".." or a .git suffix`);
  }
  const base = path.resolve(root);
  const dir = path.resolve(base, `${name}.git`);
  if (path.dirname(dir) !== base) throw new UsageError(`invalid repository name ${JSON.stringify(name)}`);
  return dir;
}

export function assertBranchName(branch: string): void {
  if (!BRANCH.test(branch)) throw new UsageError(`invalid branch name ${JSON.stringify(branch)}`);
}
