// ReleaseTarget over kube/client: server-side apply with field manager "berth", deletes that
// tolerate what is already gone, and readiness / hook completion polled on the injected clock.
import type { Values } from "../charts/model.js";
import type { Clock } from "../core/clock.js";
import { KubeError } from "../core/errors.js";
import { apiStatusOf, createKubeClient, loadKubeConfig, Transport, type KubeClient, type LoadKubeConfigOptions, type Unstructured } from "../kube/client/index.js";
import { ReleaseError } from "./errors.js";
import { hookOutcome } from "./health.js";
import type { ProgressWriter } from "../kube/wait/index.js";
import { kubeSecretsApi } from "./kubeSecrets.js";
import { releaseWaitReporter } from "./progress.js";
import type { SecretsApi } from "./storage/index.js";
import { type Applied, type ApplyOptions, type HookOutcome, type ObjectRef, type ReleaseTarget, type WaitOptions } from "./target.js";

const POLL_MS = 500;

export interface KubeTargetOptions extends LoadKubeConfigOptions {
  clock: Clock;
  /** Probe the API server first so an unreachable cluster is one clear line (default true). */
  probe?: boolean;
  progress?: ProgressWriter;
}

export async function connectKubeTarget(o: KubeTargetOptions): Promise<{ target: KubeTarget; namespace: string }> {
  const loaded = loadKubeConfig(o);
  if (o.probe !== false) await probe(loaded.kubeConfig, loaded.server, o.clock);
  const client = createKubeClient({ ...o });
  return { target: new KubeTarget(client, loaded.server, o.clock, o.progress), namespace: loaded.namespace };
}

async function probe(kubeConfig: Transport["kubeConfig"], server: string, clock: Clock): Promise<void> {
  const transport = new Transport({ kubeConfig, server, clock, retry: { attempts: 1 } });
  try {
    await transport.json({ method: "GET", path: "/version", what: "get /version" });
  } catch (err) {
    if (apiStatusOf(err) !== undefined) return;
    throw new KubeError(`no cluster reachable at ${server}: start one with \`berth cluster up\``, { cause: err });
  }
}

export class KubeTarget implements ReleaseTarget {
  readonly secrets: SecretsApi;

  constructor(
    readonly client: KubeClient,
    readonly server: string,
    private readonly clock: Clock,
    /** Where wait progress goes (stderr in the CLI); none when undefined. */
    private readonly progress?: ProgressWriter,
  ) {
    this.secrets = kubeSecretsApi(client);
  }

  async ensureNamespace(name: string): Promise<void> {
    if (await this.client.tryGet({ apiVersion: "v1", kind: "Namespace", name })) return;
    await this.client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }

  /** Through the one apply engine (kube/apply): unchanged objects cost no write. */
  async apply(objects: readonly Values[], o: ApplyOptions): Promise<Applied[]> {
    const { applyManifests } = await import("../kube/apply/index.js");
    const results = await applyManifests(
      objects.map((obj) => withDefaultNamespace(obj, o.namespace)),
      {
        client: this.client,
        force: Boolean(o.forceConflicts),
        namespace: o.namespace,
        clock: this.clock,
        ...(o.dryRun && o.dryRun !== "none" ? { dryRun: o.dryRun } : {}),
      },
    );
    return results.map((r) => ({ ref: { ...r.ref, ...(r.ref.namespace ? { namespace: r.ref.namespace } : {}) }, action: r.action, ...(r.object ? { object: r.object } : {}) }));
  }

  async list(type: { apiVersion: string; kind: string }, o: { namespace: string; labelSelector: string }): Promise<Values[]> {
    return (await this.client.list(type, { namespace: o.namespace, labelSelector: o.labelSelector })).items;
  }

  /** Unified diffs of what applying `objects` and deleting `removed` would change. */
  async diff(objects: readonly Values[], removed: readonly ObjectRef[], o: { namespace: string; color: boolean }): Promise<string[]> {
    const { diffObjects, planDiff } = await import("../kube/apply/index.js");
    const out: string[] = [];
    for (const obj of objects) {
      const { diff } = await planDiff(withDefaultNamespace(obj, o.namespace), { client: this.client, namespace: o.namespace, color: o.color });
      if (diff !== "") out.push(diff);
    }
    for (const ref of removed) {
      const live = await this.get(ref, o);
      if (live) out.push(diffObjects(live, undefined, { color: o.color, label: `${ref.kind}/${ref.namespace ?? o.namespace}/${ref.name}` }));
    }
    return out;
  }

  async delete(refs: readonly ObjectRef[], o: { namespace: string }): Promise<ObjectRef[]> {
    const deleted: ObjectRef[] = [];
    for (const ref of refs) {
      const full = { ...ref, namespace: ref.namespace ?? o.namespace };
      if (!(await this.client.tryGet(full))) continue;
      await this.client.delete(full, { propagationPolicy: "Background" }).catch((err: unknown) => {
        if (apiStatusOf(err)?.code !== 404) throw err;
      });
      deleted.push(ref);
    }
    return deleted;
  }

  async get(ref: ObjectRef, o: { namespace: string }): Promise<Values | undefined> {
    return this.client.tryGet({ ...ref, namespace: ref.namespace ?? o.namespace });
  }

  /** Through kube/wait: health per kind, progress as progress.ts shows it. */
  async waitReady(refs: readonly ObjectRef[], o: WaitOptions): Promise<void> {
    const { waitForReady, WaitError } = await import("../kube/wait/index.js");
    const objects = refs.map((ref) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace ?? o.namespace } }));
    try {
      await waitForReady(objects, {
        client: this.client,
        timeoutMs: o.timeoutMs,
        clock: this.clock,
        pollMs: POLL_MS,
        ...(this.progress ? { onProgress: releaseWaitReporter(this.progress) } : {}),
      });
    } catch (err) {
      if (err instanceof WaitError) throw new ReleaseError(err.message, { cause: err });
      throw err;
    }
  }

  async waitHook(ref: ObjectRef, o: WaitOptions): Promise<HookOutcome> {
    const deadline = this.clock.now() + o.timeoutMs;
    for (;;) {
      const outcome = hookOutcome(await this.get(ref, o));
      if (outcome) return outcome;
      if (this.clock.now() >= deadline) return { phase: "Failed", message: `timed out after ${o.timeoutMs / 1000}s` };
      await this.sleep(POLL_MS);
    }
  }

  async podLogs(ref: ObjectRef, o: { namespace: string }): Promise<string> {
    try {
      const reply = await this.client.transport.json({
        method: "GET",
        path: `/api/v1/namespaces/${ref.namespace ?? o.namespace}/pods/${ref.name}/log`,
        what: `logs of pod ${ref.name}`,
      });
      return typeof reply === "string" ? reply : "";
    } catch {
      // Logs are best effort: the built-in cluster may not keep them.
      return "";
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }
}

function withDefaultNamespace(obj: Values, namespace: string): Unstructured & Values {
  const metadata = typeof obj.metadata === "object" && obj.metadata !== null ? obj.metadata : {};
  const meta: Record<string, unknown> = { ...metadata };
  if (typeof meta.namespace !== "string" || meta.namespace === "") meta.namespace = namespace;
  return { ...obj, apiVersion: String(obj.apiVersion ?? ""), kind: String(obj.kind ?? ""), metadata: meta };
}
