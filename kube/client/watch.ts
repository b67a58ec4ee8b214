// A watch that keeps going: it resumes from the last resourceVersion it saw (events and
// BOOKMARKs move it) when the stream ends or drops, backing off on the injected Clock after
// failures, and when the server answers 410 Expired (the version was compacted away) it lists
// again and hands the caller the full current set as one RELISTED event.
// Streaming and line framing are client-node's Watch.
import { Watch } from "@kubernetes/client-node";
import { realClock, type Clock } from "../../core/clock.js";
import type { KubeClient } from "./client.js";
import { isRecord, isUnstructured, type TypeRef, type Unstructured } from "./objects.js";

export type WatchEvent =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: Unstructured }
  /** After a 410: the whole current collection; anything not in it is gone. */
  | { type: "RELISTED"; objects: Unstructured[]; resourceVersion: string };

export interface WatchOptions {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; empty or absent: the server first sends ADDED for what exists. */
  resourceVersion?: string;
  clock?: Clock;
  /** Longest wait between failed reconnects (default 30 s). */
  maxBackoffMs?: number;
  /** A failed connection or relist; the watch retries regardless. */
  onError?: (err: unknown) => void;
}

export interface WatchHandle {
  stop(): void;
  /** The last resourceVersion seen. */
  resourceVersion(): string;
}

interface StreamEnd {
  expired: boolean;
  sawEvents: boolean;
  /** The stream went quiet past client-node's inactivity timeout: resume at once, no error. */
  idle?: boolean;
  error?: unknown;
}

/** client-node aborts a watch with no data for 30 s; a server sending rare bookmarks trips it. */
function isTimeout(err: unknown): boolean {
  return isRecord(err) && err.name === "TimeoutError";
}

export function watchObjects(client: KubeClient, type: TypeRef, options: WatchOptions, onEvent: (e: WatchEvent) => void): WatchHandle {
  const clock = options.clock ?? realClock;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const watcher = new Watch(client.transport.kubeConfig);
  let rv = options.resourceVersion ?? "";
  let stopped = false;
  let abort: AbortController | undefined;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const cancel = clock.setTimeout(resolve, ms);
      wake = () => {
        cancel();
        resolve();
      };
    });

  const stream = async (): Promise<StreamEnd> => {
    const { path } = await client.collectionPathFor(type, { namespace: options.namespace, allNamespaces: options.allNamespaces });
    const query = { resourceVersion: rv || undefined, allowWatchBookmarks: true, timeoutSeconds: 300, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    return new Promise<StreamEnd>((resolve) => {
      const end: StreamEnd = { expired: false, sawEvents: false };
      let connected = false;
      const onLine = (phase: string, obj: unknown) => {
        end.sawEvents = true;
        if (phase === "ERROR") {
          end.expired = isRecord(obj) && obj.code === 410;
          if (!end.expired) end.error = new Error(`watch ${path}: ${isRecord(obj) ? String(obj.message) : "error event"}`);
          abort?.abort();
          return;
        }
        const v = isRecord(obj) && isRecord(obj.metadata) ? obj.metadata.resourceVersion : undefined;
        if (typeof v === "string" && v !== "") rv = v;
        if ((phase === "ADDED" || phase === "MODIFIED" || phase === "DELETED") && isUnstructured(obj)) onEvent({ type: phase, object: obj });
      };
      const onDone = (err: unknown) => {
        if (isRecord(err) && err.statusCode === 410) end.expired = true;
        // Quiet after the server answered: routine. A timeout before it answered is a failure.
        else if (connected && isTimeout(err)) end.idle = true;
        else if (err && !end.expired && !end.error && !stopped) end.error = err;
        resolve(end);
      };
      watcher.watch(path, query, onLine, onDone).then(
        (controller) => {
          connected = true;
          abort = controller;
          if (stopped) controller.abort();
        },
        (err: unknown) => onDone(err),
      );
    });
  };

  const relist = async () => {
    const list = await client.list(type, { namespace: options.namespace, allNamespaces: options.allNamespaces, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector });
    rv = list.resourceVersion;
    onEvent({ type: "RELISTED", objects: list.items, resourceVersion: rv });
  };

  const run = async () => {
    let failures = 0;
    while (!stopped) {
      let end: StreamEnd;
      try {
        end = await stream();
        if (!stopped && end.expired) await relist();
      } catch (err) {
        end = { expired: false, sawEvents: false, error: err };
      }
      if (stopped) return;
      if (end.error !== undefined) options.onError?.(end.error);
      // A clean end after events is routine (server timeout): reconnect at once. Anything else
      // backs off so a broken server is not hammered.
      failures = end.error === undefined && (end.sawEvents || end.expired || end.idle === true) ? 0 : failures + 1;
      if (failures > 0) await sleep(Math.min(200 * 2 ** (failures - 1), maxBackoff));
    }
  };
  void run();

  return {
    stop() {
      stopped = true;
      wake?.();
      abort?.abort();
    },
    resourceVersion: () => rv,
  };
}
