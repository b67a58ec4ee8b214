// The deploy sequence install, upgrade and rollback share, as a step machine:
// CRDs → pre hooks → apply → prune → wait → post hooks → record. The new revision is already
// stored as pending-*; every write to it goes through storage.update (compare-and-swap), and
// the lock's heartbeat is refreshed between steps so a live operation is never taken over.
import type { HookEvent, Manifest } from "../charts/manifest/index.js";
import type { Values } from "../charts/model.js";
import type { Clock } from "../core/clock.js";
import { runHooks } from "./hooks.js";
import { withOwnership } from "./ownership.js";
import { newLock } from "./lock.js";
import { parseManifestText } from "./manifest.js";
import type { Release } from "./model.js";
import { StepMachine, type OperationState, type Steppable } from "./stepMachine.js";
import type { ReleaseStorage } from "./storage/index.js";
import { refKey, refOf, type ObjectRef, type ReleaseTarget } from "./target.js";
import { sortForUninstall } from "../charts/manifest/index.js";

export type Operation = "install" | "upgrade" | "rollback";

export interface DeployOptions {
  operation: Operation;
  storage: ReleaseStorage;
  target: ReleaseTarget;
  clock: Clock;
  /** The new revision, stored as pending-*. */
  release: Release;
  /** The revision being replaced: its objects are pruned when the new one lacks them. */
  previous?: Release;
  /** CRD objects to apply first (empty with --skip-crds). */
  crds?: Values[];
  noHooks?: boolean;
  wait?: boolean;
  timeoutMs: number;
  forceConflicts?: boolean;
}

const HEARTBEAT_EVERY_MS = 30_000;

export class Deploy implements Steppable {
  private release: Release;
  private readonly manifests: Manifest[];
  private readonly machine: StepMachine;
  /** Objects the apply step created (they did not exist before): what --cleanup-on-fail deletes. */
  readonly created: ObjectRef[] = [];

  constructor(private readonly o: DeployOptions) {
    this.release = o.release;
    this.manifests = parseManifestText(o.release.manifest);
    const hooks = (event: HookEvent) => async () => this.hooks(event);
    const hooksOn = () => !o.noHooks;
    this.machine = new StepMachine([
      { name: "crds", enabled: () => (o.crds ?? []).length > 0, run: async () => this.applyCrds() },
      { name: `pre-${o.operation} hooks`, enabled: hooksOn, run: hooks(`pre-${o.operation}`) },
      { name: "apply", run: async () => this.apply() },
      { name: "prune", enabled: () => o.previous !== undefined, run: async () => this.prune() },
      { name: "wait", enabled: () => Boolean(o.wait), run: async () => this.wait() },
      { name: `post-${o.operation} hooks`, enabled: hooksOn, run: hooks(`post-${o.operation}`) },
    ]);
  }

  state(): OperationState {
    return this.machine.state();
  }

  current(): Release {
    return this.release;
  }

  async step(): Promise<boolean> {
    await this.heartbeat();
    return this.machine.step();
  }

  private get namespace(): string {
    return this.release.namespace;
  }

  private async heartbeat(): Promise<void> {
    const lock = this.release.info.lock;
    if (!lock || this.o.clock.now() - Date.parse(lock.heartbeat) < HEARTBEAT_EVERY_MS) return;
    await this.save({ lock: newLock(this.o.clock, { ttlMs: this.o.timeoutMs, owner: lock.owner }) });
  }

  async save(info: Partial<Release["info"]>, extra: Partial<Release> = {}): Promise<Release> {
    this.release = await this.o.storage.update({ ...this.release, ...extra, info: { ...this.release.info, ...info } });
    return this.release;
  }

  private async applyCrds(): Promise<string> {
    const crds = this.o.crds ?? [];
    await this.o.target.apply(crds, { namespace: this.namespace, forceConflicts: this.o.forceConflicts });
    return `${crds.length} CRD(s)`;
  }

  private async hooks(event: HookEvent): Promise<void> {
    const working = structuredClone(this.release);
    try {
      await runHooks(working, event, { target: this.o.target, clock: this.o.clock, timeoutMs: this.o.timeoutMs });
    } finally {
      // Keep each hook's last run, whatever happened.
      await this.save({}, { hooks: working.hooks });
    }
  }

  private async apply(): Promise<string> {
    const objects = this.manifests.map((m) => withOwnership(m.object, this.release));
    const applied = await this.o.target.apply(objects, { namespace: this.namespace, forceConflicts: this.o.forceConflicts });
    this.created.push(...applied.filter((a) => a.action === "created").map((a) => a.ref));
    return `${objects.length} object(s)`;
  }

  private async prune(): Promise<string> {
    const keep = new Set(this.manifests.map((m) => refKey(refOf(m.object), this.namespace)));
    const previous = this.o.previous ? parseManifestText(this.o.previous.manifest) : [];
    // Only what the previous revision owned and the new one dropped: never anything else.
    const dropped = sortForUninstall(previous).filter((m) => !keep.has(refKey(refOf(m.object), this.namespace)));
    const deleted: ObjectRef[] = await this.o.target.delete(
      dropped.map((m) => refOf(m.object)),
      { namespace: this.namespace },
    );
    return deleted.length > 0 ? `pruned ${deleted.map((r) => `${r.kind}/${r.name}`).join(", ")}` : "nothing to prune";
  }

  private async wait(): Promise<void> {
    const refs = this.manifests.map((m) => refOf(m.object));
    await this.o.target.waitReady(refs, { namespace: this.namespace, timeoutMs: this.o.timeoutMs });
  }
}
