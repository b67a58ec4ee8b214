// Garbage collection by ownerReferences and the namespace / foreground / orphan finalizers.
// Level-triggered: each pass reads every object and converges, so a pass that fails halfway
// is simply redone. Passes run on the clock and right after deletions.
import type { ApiEnv } from "../context.js";
import { ApiError } from "../errors.js";
import { deleteObject, FOREGROUND, ORPHAN, type DeleteOptions } from "../handlers/delete.js";
import { commitUpdate } from "../handlers/write.js";
import { arrayOf, getPath, isObject, meta, str, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";
import { isTerminating, nameOf, namespaceFinalizers, namespaceInfo } from "./namespaces.js";
import { gcView } from "./view.js";

interface Entry {
  info: ResourceInfo;
  /** Read-only (gc/view.ts): metadata, or the whole object for namespaces. */
  obj: JsonObject;
}

const MANAGER = "berth-garbage-collector";
const BACKGROUND: DeleteOptions = { propagation: "Background", dryRun: false };

function finalizersOf(obj: JsonObject): string[] {
  return arrayOf(getPath(obj, ["metadata", "finalizers"])).filter((f): f is string => typeof f === "string");
}

function ownerRefs(obj: JsonObject): JsonObject[] {
  return arrayOf(getPath(obj, ["metadata", "ownerReferences"])).filter(isObject);
}

function ignoreGone(err: unknown): void {
  if (err instanceof ApiError && (err.reason === "NotFound" || err.reason === "Conflict")) return;
  throw err;
}

const MAX_PASSES_IN_A_ROW = 5;

export class GarbageCollector {
  private cancelTimer?: () => void;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(private readonly env: ApiEnv, private readonly options: { intervalMs: number }) {
    env.writeListeners.push((_info, obj, deleted) => {
      if (deleted || getPath(obj, ["metadata", "deletionTimestamp"]) !== undefined) this.kick();
    });
  }

  start(): void {
    this.stopped = false;
    this.schedule(this.options.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  /** Asks for a pass soon (coalesced with one already pending or running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.env.clock.setTimeout(() => void this.loop(), ms);
  }

  private async loop(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      // A pass that changed something goes again at once: its reads predate its own writes
      // (an orphaned dependent still named its owner, so the owner's finalizer stayed).
      for (let pass = 0; pass < MAX_PASSES_IN_A_ROW; pass++) {
        this.again = false;
        const changes = await this.runOnce();
        if ((changes === 0 && !this.again) || this.stopped) break;
      }
    } catch {
      // A failed pass is retried by the next one; the state it left is consistent.
    } finally {
      this.running = false;
      if (!this.stopped) this.schedule(this.options.intervalMs);
    }
  }

  /** One full pass; returns how many changes it made (0 means converged). */
  async runOnce(): Promise<number> {
    const entries = await this.readAll();
    const byUid = new Map<string, Entry>();
    for (const e of entries) {
      const uid = str(meta(e.obj).uid);
      if (uid) byUid.set(uid, e);
    }
    let changes = 0;
    for (const e of entries) changes += await this.collectDependent(e, byUid);
    const referenced = new Set<string>();
    for (const e of entries) for (const r of ownerRefs(e.obj)) if (typeof r.uid === "string") referenced.add(r.uid);
    for (const e of entries) changes += await this.finishOwner(e, referenced);
    changes += await this.finishNamespaces(entries);
    return changes;
  }

  private async readAll(): Promise<Entry[]> {
    const seen = new Set<string>();
    const out: Entry[] = [];
    const namespaces = namespaceInfo(this.env);
    for (const info of this.env.registry.all()) {
      const key = `${info.group}/${info.resource}`;
      if (seen.has(key) || !info.verbs.includes("list")) continue;
      seen.add(key);
      const whole = info === namespaces;
      const page = await this.env.storage.listRaw(info);
      for (const kv of page.kvs) out.push({ info, obj: gcView(kv, whole) });
    }
    return out;
  }

  private async collectDependent(e: Entry, byUid: Map<string, Entry>): Promise<number> {
    const refs = ownerRefs(e.obj);
    if (refs.length === 0 || getPath(e.obj, ["metadata", "deletionTimestamp"]) !== undefined) return 0;
    const owners = refs.map((r) => (typeof r.uid === "string" ? byUid.get(r.uid) : undefined));
    const orphaning = owners.some((o) => o && isTerminatingWith(o.obj, ORPHAN));
    const ref = { namespace: str(meta(e.obj).namespace), name: nameOf(e.obj) };
    try {
      if (orphaning) {
        await commitUpdate(this.env, { env: this.env, info: e.info, namespace: ref.namespace, manager: MANAGER }, {
          name: ref.name,
          dryRun: false,
          mutate: (obj) => {
            const keep = ownerRefs(obj).filter((r) => !owners.some((o) => o && isTerminatingWith(o.obj, ORPHAN) && meta(o.obj).uid === r.uid));
            if (keep.length === 0) delete meta(obj).ownerReferences;
            else meta(obj).ownerReferences = keep;
            delete meta(obj).resourceVersion;
            return obj;
          },
        });
        return 1;
      }
      const alive = owners.some((o) => o && !isTerminatingWith(o.obj, FOREGROUND));
      if (alive) return 0;
      const foreground = owners.some((o) => o && isTerminatingWith(o.obj, FOREGROUND));
      await deleteObject(this.env, e.info, ref, foreground ? { propagation: "Foreground", dryRun: false } : BACKGROUND);
      return 1;
    } catch (err) {
      ignoreGone(err);
      return 0;
    }
  }

  private async finishOwner(e: Entry, referenced: Set<string>): Promise<number> {
    if (getPath(e.obj, ["metadata", "deletionTimestamp"]) === undefined) return 0;
    const uid = str(meta(e.obj).uid) ?? "";
    const done = finalizersOf(e.obj).filter((f) => (f === FOREGROUND || f === ORPHAN) && !referenced.has(uid));
    if (done.length === 0) return 0;
    try {
      await commitUpdate(this.env, { env: this.env, info: e.info, namespace: str(meta(e.obj).namespace), manager: MANAGER }, {
        name: nameOf(e.obj),
        dryRun: false,
        mutate: (obj) => {
          const left = finalizersOf(obj).filter((f) => !done.includes(f));
          if (left.length === 0) delete meta(obj).finalizers;
          else meta(obj).finalizers = left;
          delete meta(obj).resourceVersion;
          return obj;
        },
      });
      return 1;
    } catch (err) {
      ignoreGone(err);
      return 0;
    }
  }

  private async finishNamespaces(entries: Entry[]): Promise<number> {
    let changes = 0;
    const nsInfo = namespaceInfo(this.env);
    for (const ns of entries.filter((e) => e.info === nsInfo && isTerminating(e.obj))) {
      const name = nameOf(ns.obj);
      const contents = entries.filter((e) => e.info.namespaced && str(meta(e.obj).namespace) === name);
      for (const c of contents) {
        if (getPath(c.obj, ["metadata", "deletionTimestamp"]) !== undefined) continue;
        try {
          await deleteObject(this.env, c.info, { namespace: name, name: nameOf(c.obj) }, BACKGROUND);
          changes++;
        } catch (err) {
          ignoreGone(err);
        }
      }
      if (contents.length > 0 || !namespaceFinalizers(ns.obj).includes("kubernetes")) continue;
      try {
        await commitUpdate(this.env, { env: this.env, info: nsInfo, manager: MANAGER, subresource: "finalize" }, {
          name,
          dryRun: false,
          mutate: (obj) => {
            const spec = isObject(obj.spec) ? obj.spec : {};
            spec.finalizers = namespaceFinalizers(obj).filter((f) => f !== "kubernetes");
            obj.spec = spec;
            delete meta(obj).resourceVersion;
            return obj;
          },
        });
        changes++;
      } catch (err) {
        ignoreGone(err);
      }
    }
    return changes;
  }
}

function isTerminatingWith(obj: JsonObject, finalizer: string): boolean {
  return getPath(obj, ["metadata", "deletionTimestamp"]) !== undefined && finalizersOf(obj).includes(finalizer);
}
