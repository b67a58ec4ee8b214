// `npm start` / `berth quickstart`: the built-in cluster, the GitOps controller (as its own
// identity), a hosted repository seeded with examples/demo-app, and an Application following
// it with automated sync, prune and self-heal, all in this process; waits until the app is
// Synced and Healthy, prints how to use it, and runs until SIGINT / SIGTERM (or returns at once
// with `once`). A second start on the same data dir reuses everything, including what the
// user pushed.
//
// DATA_DIR/cluster  the cluster (store, CA, admin kubeconfig)
// DATA_DIR/gitops   the controller (hosted repositories, token, git cache, its kubeconfig)
import { existsSync } from "node:fs";
import path from "node:path";
import { createApp, getApp } from "../controller/actions/app.js";
import { pushInstructions } from "../controller/actions/hosted.js";
import { waitApp } from "../controller/actions/wait.js";
import { API_VERSION, KIND } from "../controller/application/types.js";
import { createHostedRepo, hostedRepoDir } from "../controller/hosted/index.js";
import { credentialHelper } from "../controller/hosted/tokenFile.js";
import { startControllerStack, type ControllerStack } from "../controller/stack.js";
import { apiStatusOf, createKubeClient, type KubeClient } from "../kube/client/index.js";
import { startCluster, type RunningCluster } from "../orchestrator/cluster/index.js";
import { bindControllerRole, writeControllerKubeconfig } from "./identity.js";
import { createProgress, type Progress } from "./progress.js";
import { untilSignal } from "../core/signals.js";

export interface QuickstartOptions {
  dataDir: string;
  /** The demo chart that seeds the hosted repository at first start. */
  seedDir: string;
  /** API server port (default 6443; 0 picks one). */
  port?: number;
  /** The controller's port: webhooks, metrics and hosted git (default 8090; 0 picks one). */
  gitPort?: number;
  /** Stop after printing instead of running until a signal. */
  once?: boolean;
  /** How long to wait for the app (default 120 s). */
  timeoutMs?: number;
  /** Where the instructions go (default stdout); progress goes to stderr. */
  out?: NodeJS.WritableStream;
  progress?: Progress;
}

export const APP_NAME = "demo";
const NAMESPACE = "default";

export async function runQuickstart(options: QuickstartOptions): Promise<void> {
  const progress = options.progress ?? createProgress(process.stderr);
  const out = options.out ?? process.stdout;
  const dataDir = path.resolve(options.dataDir);
  progress.update(`starting the built-in cluster in ${path.join(dataDir, "cluster")}…`);
  const cluster = await startCluster({ dataDir: path.join(dataDir, "cluster"), port: options.port ?? 6443, nodes: 3 });
  progress.done(`cluster ready at ${cluster.url}`);
  let stack: ControllerStack | undefined;
  const stop = async (): Promise<void> => {
    await stack?.stop();
    await cluster.stop();
  };
  try {
    stack = await startController(cluster, { dataDir, port: options.gitPort ?? 8090, log: (m) => progress.log(`controller: ${m}`) });
    progress.done(`GitOps controller running as system:berth:gitops-controller at ${stack.url}`);
    const admin = createKubeClient({ kubeconfig: cluster.kubeconfig });
    const remote = await ensureHostedApp(admin, stack, options.seedDir);
    await waitApp(APP_NAME, { client: admin, namespace: NAMESPACE, sync: true, health: true, timeoutMs: options.timeoutMs ?? 120_000, onProgress: (l) => progress.update(`app ${APP_NAME}: ${l}`) });
    progress.done(`app ${APP_NAME}: Synced and Healthy`);
    out.write(instructions({ kubeconfig: cluster.kubeconfig, remote, stack, dataDir }));
  } catch (err) {
    await stop();
    throw err;
  }
  if (!options.once) {
    await untilSignal();
    progress.done("stopping…");
  }
  await stop();
  if (!options.once) progress.done("stopped");
}

async function startController(cluster: RunningCluster, options: { dataDir: string; port: number; log: (m: string) => void }): Promise<ControllerStack> {
  const gitopsDir = path.join(options.dataDir, "gitops");
  const kubeconfig = path.join(gitopsDir, "kubeconfig");
  await bindControllerRole(createKubeClient({ kubeconfig: cluster.kubeconfig }));
  await writeControllerKubeconfig({ clusterDataDir: cluster.paths.dataDir, url: cluster.url, file: kubeconfig });
  const client = createKubeClient({ kubeconfig });
  return startControllerStack({ client, dataDir: gitopsDir, port: options.port, log: options.log });
}

/** The hosted repository (seeded at first start) and the app following it; returns the remote. */
async function ensureHostedApp(admin: KubeClient, stack: ControllerStack, seedDir: string): Promise<string> {
  if (!existsSync(hostedRepoDir(stack.hostedRoot, APP_NAME))) {
    await createHostedRepo(stack.hostedRoot, APP_NAME, { seedDir, message: "demo app from examples/demo-app" });
  }
  const remote = `${stack.url}/git/${APP_NAME}.git`;
  const existing = await getApp({ client: admin, namespace: NAMESPACE }, APP_NAME).catch(() => undefined);
  if (!existing) {
    await createApp({ client: admin, namespace: NAMESPACE, name: APP_NAME, repoURL: remote, revision: "main", path: ".", autoSync: true, prune: true, selfHeal: true });
  } else if (existing.spec.source.repoURL !== remote) {
    await followRemote(admin, remote);
  }
  return remote;
}

/** Another port than last time (--git-port 0): the app follows the repository where it is now. */
async function followRemote(admin: KubeClient, remote: string): Promise<void> {
  const ref = { apiVersion: API_VERSION, kind: KIND, name: APP_NAME, namespace: NAMESPACE };
  // The controller writes the app's status meanwhile; a conflict only means "read again".
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.patch(ref, { spec: { source: { repoURL: remote } } }, { type: "merge" });
      return;
    } catch (err) {
      if (apiStatusOf(err)?.code !== 409 || attempt >= 10) throw err;
    }
  }
}

function instructions(o: { kubeconfig: string; remote: string; stack: ControllerStack; dataDir: string }): string {
  const helper = { remote: o.remote, origin: o.stack.url, credentialHelper: credentialHelper(o.stack.credentialsFile), branch: "main" };
  return [
    "",
    `berth is running: the built-in cluster, the GitOps controller and the app "${APP_NAME}", which follows a hosted git repository.`,
    "",
    "kubectl:",
    `  export KUBECONFIG=${o.kubeconfig}`,
    "  kubectl get deploy,pods,svc,cm",
    "",
    `git (pushes need the token in ${o.stack.credentialsFile}, mode 0600; git reads it through the credential helper):`,
    ...pushInstructions(helper, { clone: true }).map((l) => `  ${l}`),
    `  cd ${APP_NAME}`,
    "",
    "try:",
    ...[
      ["sed -i 's/^replicaCount: .*/replicaCount: 4/' values.yaml", "or edit values.yaml"],
      ['git commit -am "four replicas" && git push', "deploys within a second"],
      ["kubectl get pods -w", "watch it scale"],
      ["git revert --no-edit HEAD && git push", "back to 2"],
      [`npx berth app history ${APP_NAME}`, "who deployed what"],
    ].map(([command, why]) => `  ${command.padEnd(58)} # ${why}`),
    "",
    `Ctrl-C stops everything; a second start reuses ${o.dataDir} (delete it to start over).`,
    "",
  ].join("\n");
}


