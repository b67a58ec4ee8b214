// The actions that read git from the CLI's side: `app diff` (what a sync would change) and
// `app revert` (a revert commit of what is deployed, so git stays the truth).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { realClock } from "../../core/clock.js";
import { UsageError } from "../../core/errors.js";
import { planDiff } from "../../kube/apply/index.js";
import { createGitSource } from "../git/index.js";
import type { CommitInfo, GitSource } from "../git/types.js";
import { renderSource } from "../source/render.js";
import { FIELD_MANAGER, REQUIRES_PRUNING } from "../sync/compare.js";
import { steadyResources } from "../sync/plan.js";
import { withOwner } from "../sync/resources.js";
import { getApp, touchApp, type AppTarget } from "./app.js";

async function withGit<T>(fn: (git: GitSource) => Promise<T>): Promise<T> {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "berth-app-"));
  const git = createGitSource({ cacheDir, clock: realClock, watchLocal: false });
  try {
    return await fn(git);
  } finally {
    await git.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

export interface AppDiff {
  revision: string;
  /** Unified diffs of objects that would change, in order. */
  diffs: { ref: string; diff: string }[];
  /** Objects a sync with prune would delete. */
  prune: string[];
}

export async function diffApp(name: string, options: AppTarget & { color?: boolean }): Promise<AppDiff> {
  const app = await getApp(options, name);
  const source = app.spec.source;
  return withGit(async (git) => {
    const commit = await git.resolve(source.repoURL, source.targetRevision);
    const dir = await git.checkout(source.repoURL, commit.sha);
    const resources = await renderSource({ dir, sourcePath: source.path, helm: source.helm, releaseName: app.name, namespace: app.spec.destination.namespace });
    const diffs: AppDiff["diffs"] = [];
    for (const r of steadyResources(resources)) {
      const obj = withOwner(r.object, { name: app.name, namespace: app.namespace, uid: app.uid });
      const { ref, diff } = await planDiff(obj, { client: options.client, fieldManager: FIELD_MANAGER, namespace: app.spec.destination.namespace, color: options.color });
      if (diff) diffs.push({ ref: `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`, diff });
    }
    const prune = app.status.resources.filter((r) => r.message?.startsWith(REQUIRES_PRUNING)).map((r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`);
    return { revision: commit.sha, diffs, prune };
  });
}

/** Creates a `git revert` commit of the deployed commit on the app's branch and wakes the controller. */
export async function revertApp(name: string, options: AppTarget): Promise<{ reverted: string; commit: CommitInfo }> {
  const app = await getApp(options, name);
  const deployed = app.status.history.at(-1)?.revision ?? app.status.sync.revision;
  if (!deployed) throw new UsageError(`application ${name}: nothing deployed yet, so nothing to revert`);
  const branch = app.spec.source.targetRevision;
  if (branch === "HEAD" || /^[0-9a-f]{40}$/.test(branch)) {
    throw new UsageError(`application ${name}: spec.source.targetRevision is "${branch}"; revert needs a branch to commit to`);
  }
  const commit = await withGit((git) => git.revert(app.spec.source.repoURL, { commit: deployed, branch }));
  await touchApp(name, options);
  return { reverted: deployed, commit };
}
