// The GitOps controller as a running service: the controller, its git source (credentials for
// its own hosted repositories), and its HTTP server with /metrics, /healthz, webhooks and the
// hosted repositories under /git/. `berth controller run` and the quick start both run this.
//
// Layout of DATA_DIR: cache/ (git mirrors and trees, safe to delete), hosted/ (the hosted bare
// repositories: real data), hosted-token and git-credentials (0600), controller.json (where
// it listens, for `berth app create --hosted`).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { realClock } from "../core/clock.js";
import { UsageError } from "../core/errors.js";
import type { KubeClient } from "../kube/client/index.js";
import { createGitSource, type SimpleGitSourceApi } from "./git/source.js";
import { httpOrigin } from "./git/url.js";
import { registerHostedGitRoutes, staticTokens } from "./hosted/index.js";
import { HOSTED_USER, hostedTokenFiles, loadOrCreateToken, writeGitCredentials } from "./hosted/tokenFile.js";
import { startGitOpsController, type GitOpsController } from "./manager.js";
import { createControllerServer } from "./server.js";
import { registerWebhookRoutes } from "./webhook/index.js";

export interface ControllerStackOptions {
  client: KubeClient;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  workers?: number;
  /** See GitOpsControllerOptions.syncTimeoutMs. */
  syncTimeoutMs?: number;
  webhookSecret?: string;
  /** See GitSourceOptions.resolveMaxAgeMs (default 10 s). */
  resolveMaxAgeMs?: number;
  /** The hosted repositories' token; default: DATA_DIR/hosted-token, created at first start. */
  hostedToken?: string;
  log: (message: string) => void;
}

export interface ControllerStack {
  /** http://HOST:PORT, the base of /metrics, /api/webhook and /git/NAME.git. */
  url: string;
  hostedRoot: string;
  /** git-credential-store file for `url`, 0600. */
  credentialsFile: string;
  controller: GitOpsController;
  git: SimpleGitSourceApi;
  server: FastifyInstance;
  stop(): Promise<void>;
}

export interface ControllerState {
  pid: number;
  url: string;
  hostedRoot: string;
  credentialsFile: string;
}

/** $XDG_DATA_HOME/berth/gitops, else ~/.local/share/berth/gitops. */
export function defaultControllerDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(os.homedir(), ".local", "share");
  return path.join(base, "berth", "gitops");
}

export function controllerStateFile(dataDir: string): string {
  return path.join(dataDir, "controller.json");
}

export async function startControllerStack(options: ControllerStackOptions): Promise<ControllerStack> {
  const dataDir = path.resolve(options.dataDir);
  const hostedRoot = path.join(dataDir, "hosted");
  await mkdir(hostedRoot, { recursive: true });
  const files = hostedTokenFiles(dataDir);
  const token = options.hostedToken ?? (await loadOrCreateToken(files.tokenFile));
  // Known once the server listens (port 0 picks one); the closures below read it late.
  const served: { origin?: string } = {};
  const log = options.log;
  const git = createGitSource({
    cacheDir: path.join(dataDir, "cache"),
    clock: realClock,
    logger: { info: log, warn: log, error: log },
    // Reconciles of many apps on one repository share a fetch; polls, watches, webhooks and
    // hosted pushes still fetch (or invalidate) at once, so new commits are seen without delay.
    resolveMaxAgeMs: options.resolveMaxAgeMs ?? 10_000,
    // The controller's own repositories are behind its own token; other servers get nothing.
    credentials: (repoURL) => (served.origin !== undefined && httpOrigin(repoURL) === served.origin ? { username: HOSTED_USER, password: token } : undefined),
  });
  const controller = await startGitOpsController({ client: options.client, git, workers: options.workers, syncTimeoutMs: options.syncTimeoutMs, log });
  const server = await createServer(controller, { hostedRoot, token, webhookSecret: options.webhookSecret, publicURL: () => served.origin ?? "", log });
  const host = options.host ?? "127.0.0.1";
  try {
    await server.listen({ port: options.port, host });
  } catch (err) {
    await controller.stop();
    await git.close();
    if (typeof err === "object" && err !== null && "code" in err && err.code === "EADDRINUSE") {
      throw new UsageError(`--port: port ${options.port} on ${host} is already in use`, { cause: err, hint: "pick another port, or --port 0 for a free one" });
    }
    throw err;
  }
  const address = server.server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const url = `http://${host}:${port}`;
  served.origin = url;
  await writeGitCredentials(files.credentialsFile, url, token);
  const state: ControllerState = { pid: process.pid, url, hostedRoot, credentialsFile: files.credentialsFile };
  await writeFile(controllerStateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`);
  // Apps on hosted repositories were refreshed before the server listened (and failed to
  // fetch): look at every app again now that their repositories answer.
  for (const key of controller.appKeys()) controller.refresh(key);
  return {
    url,
    hostedRoot,
    credentialsFile: files.credentialsFile,
    controller,
    git,
    server,
    async stop() {
      await server.close();
      await controller.stop();
      await git.close();
      await rm(controllerStateFile(dataDir), { force: true });
    },
  };
}

/** /metrics and /healthz, webhooks, and the hosted repositories; every change hint goes to notify. */
function createServer(
  controller: GitOpsController,
  o: { hostedRoot: string; token: string; webhookSecret?: string; publicURL: () => string; log: (m: string) => void },
): Promise<FastifyInstance> {
  const secret = o.webhookSecret;
  return createControllerServer({
    metrics: controller.metrics,
    routes: (app) => {
      registerWebhookRoutes(app, { secrets: secret ? { github: secret, gitlab: secret, gitea: secret } : {}, onChange: (c) => controller.notify(c) });
      registerHostedGitRoutes(app, {
        root: o.hostedRoot,
        tokens: staticTokens({ [o.token]: HOSTED_USER }),
        onPush: (c) => controller.notify(c),
        publicURL: o.publicURL,
        logger: { warn: o.log },
      });
    },
  });
}

/** Where a controller on DATA_DIR listens; a clear error when none is running there. */
export async function readControllerState(dataDir: string): Promise<ControllerState> {
  const file = controllerStateFile(path.resolve(dataDir));
  const text = await readFile(file, "utf8").catch(() => undefined);
  const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
  if (!isControllerState(parsed) || !alive(parsed.pid)) {
    throw new UsageError(`no berth controller is running on ${path.resolve(dataDir)}`, { hint: "start one with `berth controller run --data-dir DIR` (or `npm start`), or pass its --controller-dir" });
  }
  return parsed;
}

/** Whether a process with this pid exists (a stale controller.json after a crash is not running). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return typeof err === "object" && err !== null && "code" in err && err.code === "EPERM";
  }
}

function isControllerState(value: unknown): value is ControllerState {
  if (typeof value !== "object" || value === null) return false;
  return "url" in value && typeof value.url === "string" && "hostedRoot" in value && typeof value.hostedRoot === "string"
    && "credentialsFile" in value && typeof value.credentialsFile === "string" && "pid" in value && typeof value.pid === "number";
}
