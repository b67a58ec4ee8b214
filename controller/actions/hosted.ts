// `berth app create NAME --hosted`: a hosted repository on the controller running on
// CONTROLLER_DIR (empty, or seeded from a folder) and an Application that follows it. The
// repository is made on the controller's disk, so this runs where the controller runs.
import { rm } from "node:fs/promises";
import type { Application } from "../application/types.js";
import { createHostedRepo } from "../hosted/index.js";
import { credentialHelper } from "../hosted/tokenFile.js";
import { readControllerState } from "../stack.js";
import { createApp, type CreateAppOptions } from "./app.js";

export interface CreateHostedAppOptions extends Omit<CreateAppOptions, "repoURL"> {
  /** The controller's data dir (holds controller.json and hosted/). */
  controllerDir: string;
  /** Folder whose files become the first commit. */
  seedDir?: string;
  /** Default "main". */
  branch?: string;
}

export interface HostedApp {
  app: Application;
  /** The URL to clone / push, without credentials. */
  remote: string;
  /** Value for `git config credential.<origin>.helper`. */
  credentialHelper: string;
  origin: string;
  branch: string;
  /** The seed commit, when seeded. */
  head?: string;
}

export async function createHostedApp(options: CreateHostedAppOptions): Promise<HostedApp> {
  const state = await readControllerState(options.controllerDir);
  const branch = options.branch ?? "main";
  const repo = await createHostedRepo(state.hostedRoot, options.name, { seedDir: options.seedDir, defaultBranch: branch, message: options.seedDir ? "Initial commit" : undefined });
  const remote = `${state.url}/git/${repo.name}.git`;
  let app: Application;
  try {
    app = await createApp({ ...options, repoURL: remote, revision: options.revision ?? branch });
  } catch (err) {
    // No app, no repository: a retry with the same name must not find it "already exists".
    await rm(repo.dir, { recursive: true, force: true });
    throw err;
  }
  return { app, remote, origin: state.url, credentialHelper: credentialHelper(state.credentialsFile), branch, head: repo.head };
}

/** The lines a user runs to push to the hosted repository (the token stays in its 0600 file). */
export function pushInstructions(h: Pick<HostedApp, "remote" | "origin" | "credentialHelper" | "branch">, options: { clone: boolean }): string[] {
  const helper = `credential.${h.origin}.helper`;
  if (options.clone) return [`git clone -c ${helper}=${JSON.stringify(h.credentialHelper)} ${h.remote}`];
  return [`git remote add berth ${h.remote}`, `git config ${helper} ${JSON.stringify(h.credentialHelper)}`, `git push berth ${h.branch}`];
}
