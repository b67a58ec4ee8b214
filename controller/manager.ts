// The GitOps controller: a work queue of Application keys with bounded concurrency and per-key
// dedupe, fed by the Application informer (spec / operation / deletion changes), by git change
// hints (poll, watch, webhook, hosted push — for the apps on that repository and branch) and
// by the live-object informers (self-heal and health), each ending in reconcileApp.
//
//   const controller = await startGitOpsController({ client, git });
//   ... controller.metrics.registry.metrics() ...
//   await controller.stop();
import { isDeepStrictEqual } from "node:util";
import { realClock, type Clock } from "../core/clock.js";
import { RateLimitingWorkQueue, runController } from "../core/workqueue/index.js";
import { Informer, type KubeClient, type Unstructured } from "../kube/client/index.js";
import { ensureApplicationCrd } from "./application/crd.js";
import { API_VERSION, KIND } from "./application/types.js";
import type { ControllerContext } from "./context.js";
import { createEventRecorder } from "./events.js";
import type { GitSource, RepoChange } from "./git/types.js";
import { normalizeRepoUrl } from "./git/url.js";
import { LiveIndex } from "./liveIndex.js";
import { createMetrics, type ControllerMetrics } from "./metrics.js";
import { reconcileApp } from "./reconcile.js";
import { RenderCache } from "./source/cache.js";
import { DEFAULT_SYNC_TIMEOUT_MS } from "./sync/retry.js";

export interface GitOpsControllerOptions {
  client: KubeClient;
  git: GitSource;
  clock?: Clock;
  /** Apps reconciled at once (default 8). */
  workers?: number;
  /** Minimum time between two self-heal syncs of one app (default 2000 ms). */
  selfHealBackoffMs?: number;
  /** A sync attempt still running after this long fails (default 10 minutes; 0: never). */
  syncTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface GitOpsController {
  metrics: ControllerMetrics;
  /** Asks for a reconcile of APPNAMESPACE/APPNAME now. */
  refresh(appKey: string): void;
  /** A change hint from outside the GitSource (webhook, hosted push): reconciles the apps that follow it. */
  notify(change: RepoChange): void;
  /** Apps known to the controller, by key. */
  appKeys(): string[];
  stop(): Promise<void>;
}

export async function startGitOpsController(options: GitOpsControllerOptions): Promise<GitOpsController> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => undefined);
  await ensureApplicationCrd(options.client);
  const metrics = createMetrics();
  const queue = new RateLimitingWorkQueue({ clock });
  const enqueue = (key: string): void => queue.add(key);
  const live = new LiveIndex({ client: options.client, clock, onChange: enqueue, onError: (err) => log(`watch: ${String(err)}`) });
  const ctx: ControllerContext = {
    client: options.client,
    git: options.git,
    renders: new RenderCache(),
    live,
    clock,
    events: createEventRecorder({ client: options.client, clock }),
    metrics,
    selfHealBackoffMs: options.selfHealBackoffMs ?? 2000,
    syncTimeoutMs: options.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS,
    log,
  };
  const running = runController({
    queue,
    workers: options.workers ?? 8,
    reconcile: async (key) => {
      try {
        const result = await reconcileApp(ctx, key);
        metrics.reconciles.inc({ result: "ok" });
        return result;
      } catch (err) {
        metrics.reconciles.inc({ result: "error" });
        throw err;
      }
    },
    onError: (f) => log(`${f.key}: ${f.error instanceof Error ? f.error.message : String(f.error)} (retry ${f.retries})`),
  });
  metrics.setQueueDepth(() => queue.len());
  const apps = watchApplications(options.client, clock, enqueue);
  const unsubscribe = options.git.onChange((change) => {
    for (const key of apps.follows(change)) enqueue(key);
  });
  await apps.informer.start();
  return {
    metrics,
    refresh: enqueue,
    notify: (change) => {
      options.git.invalidate(change.repoURL);
      for (const key of apps.follows(change)) enqueue(key);
    },
    appKeys: () => apps.informer.keys(),
    async stop() {
      unsubscribe();
      apps.informer.stop();
      // Reconciles still running may open informers for new kinds: stop the index after them.
      await running.stop();
      live.stop();
    },
  };
}

/** The Application informer, and which apps follow which repository and branch. */
function watchApplications(client: KubeClient, clock: Clock, enqueue: (key: string) => void) {
  const informer = new Informer(client, { apiVersion: API_VERSION, kind: KIND }, { allNamespaces: true, clock });
  const keyOf = (o: Unstructured): string => `${o.metadata.namespace ?? "default"}/${o.metadata.name ?? ""}`;
  informer.addHandlers({
    add: (o) => enqueue(keyOf(o)),
    // Status writes are the controller's own: only what a user changes needs a reconcile.
    update: (before, after) => {
      if (!isDeepStrictEqual(userPart(before), userPart(after))) enqueue(keyOf(after));
    },
    delete: (o) => enqueue(keyOf(o)),
  });
  return {
    informer,
    follows(change: RepoChange): string[] {
      const out: string[] = [];
      for (const app of informer.list()) {
        const source = sourceOf(app);
        if (!source || normalizeRepoUrl(source.repoURL) !== change.repoURL) continue;
        if (change.ref && !refMatches(change.ref, source.targetRevision)) continue;
        out.push(keyOf(app));
      }
      return out;
    },
  };
}

function userPart(o: Unstructured): unknown {
  const { status: _status, metadata, ...rest } = o;
  return { ...rest, annotations: metadata.annotations, labels: metadata.labels, finalizers: metadata.finalizers, deletionTimestamp: metadata.deletionTimestamp };
}

function sourceOf(app: Unstructured): { repoURL: string; targetRevision: string } | undefined {
  const spec = app.spec;
  if (typeof spec !== "object" || spec === null || !("source" in spec)) return undefined;
  const source: unknown = spec.source;
  if (typeof source !== "object" || source === null || !("repoURL" in source) || typeof source.repoURL !== "string") return undefined;
  const rev = "targetRevision" in source && typeof source.targetRevision === "string" ? source.targetRevision : "HEAD";
  return { repoURL: source.repoURL, targetRevision: rev };
}

/** `refs/heads/main`, `main` and an app on HEAD all match a push to main (HEAD: any push). */
function refMatches(ref: string, targetRevision: string): boolean {
  if (targetRevision === "HEAD") return true;
  const short = ref.replace(/^refs\/(heads|tags)\//, "");
  return short === targetRevision || ref === targetRevision;
}
