// watch over chunked HTTP: newline-delimited JSON events, resumable from a resourceVersion,
// filtered by selectors (objects moving out of a selector arrive as DELETED, into it as
// ADDED), with periodic BOOKMARKs and a 410 Expired ERROR event past compaction.
import type { ServerResponse } from "node:http";
import type { ApiEnv, ApiRequest } from "../context.js";
import { badRequest } from "../errors.js";
import { intParam } from "../body.js";
import { meta, type JsonObject } from "../object.js";
import { toStatus } from "../status.js";
import { decode, resourcePrefix } from "../storage.js";
import type { Watch, WatchEvent } from "../../store/types.js";
import { groupVersion } from "../types.js";
import { toTable, wantsTable } from "../table/index.js";
import { selectorFilter, withTypeMeta, type ObjectFilter } from "./read.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** Watches end after this long unless the client asked for less (clients re-watch). */
  defaultTimeoutMs: number;
}

interface Session {
  env: ApiEnv;
  req: ApiRequest;
  raw: ServerResponse;
  filter?: ObjectFilter;
  lastRevision: number;
  closed: boolean;
  cleanups: (() => void)[];
}

export async function watchObjects(env: ApiEnv, req: ApiRequest, raw: ServerResponse, settings: WatchSettings): Promise<void> {
  const filter = selectorFilter(req);
  const rv = req.query.resourceVersion ?? "";
  if (rv !== "" && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  const initial = rv === "" || rv === "0" || req.query.sendInitialEvents === "true";
  const page = initial ? await env.storage.list(req.info, { namespace: req.namespace, filter }) : undefined;
  const after = page ? page.revision : Number(rv);
  const session: Session = { env, req, raw, filter, lastRevision: after, closed: false, cleanups: [] };
  raw.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  // Clients wait for the headers before reading events; send them even if no event comes.
  raw.flushHeaders();
  for (const obj of page?.items ?? []) send(session, "ADDED", obj);
  if (page && req.query.sendInitialEvents === "true" && req.query.allowWatchBookmarks === "true") {
    send(session, "BOOKMARK", bookmark(session, { "k8s.io/initial-events-end": "true" }));
  }
  let watch: Watch | undefined;
  const stop = () => {
    if (session.closed) return;
    session.closed = true;
    for (const c of session.cleanups) c();
    void watch?.cancel();
    raw.end();
  };
  raw.on("close", stop);
  try {
    watch = await env.storage.store.watch(resourcePrefix(req.info, req.namespace), { afterRevision: after }, {
      onEvents: (events) => deliver(session, events),
      onError: (err) => {
        send(session, "ERROR", toStatus(err));
        stop();
      },
    });
  } catch (err) {
    send(session, "ERROR", toStatus(err));
    stop();
    return;
  }
  if (session.closed) void watch.cancel();
  scheduleTimers(session, settings, stop);
}

function scheduleTimers(s: Session, settings: WatchSettings, stop: () => void): void {
  const timeoutSeconds = intParam(s.req.query, "timeoutSeconds");
  const timeoutMs = timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds * 1000 : settings.defaultTimeoutMs;
  s.cleanups.push(s.env.clock.setTimeout(stop, timeoutMs));
  if (s.req.query.allowWatchBookmarks !== "true") return;
  const tick = () => {
    if (s.closed) return;
    send(s, "BOOKMARK", bookmark(s));
    s.cleanups.push(s.env.clock.setTimeout(tick, settings.bookmarkIntervalMs));
  };
  s.cleanups.push(s.env.clock.setTimeout(tick, settings.bookmarkIntervalMs));
}

function bookmark(s: Session, annotations?: Record<string, string>): JsonObject {
  const metadata: JsonObject = { resourceVersion: String(s.lastRevision) };
  if (annotations) metadata.annotations = annotations;
  return { kind: s.req.info.kind, apiVersion: groupVersion(s.req.info), metadata };
}

function deliver(s: Session, events: WatchEvent[]): void {
  for (const e of events) {
    s.lastRevision = Math.max(s.lastRevision, e.kv.modRevision);
    const converted = convert(s, e);
    if (converted) send(s, converted.type, converted.obj);
  }
}

function convert(s: Session, e: WatchEvent): { type: WatchEventType; obj: JsonObject } | undefined {
  const match = (obj: JsonObject | undefined) => obj !== undefined && (!s.filter || s.filter(obj));
  const old = e.prevKv ? decode(e.prevKv) : undefined;
  if (e.type === "delete") {
    if (!old || !match(old)) return undefined;
    meta(old).resourceVersion = String(e.kv.modRevision);
    return { type: "DELETED", obj: old };
  }
  const obj = decode(e.kv);
  const now = match(obj);
  const before = match(old);
  if (now && old && before) return { type: "MODIFIED", obj };
  if (now) return { type: "ADDED", obj };
  if (before) return { type: "DELETED", obj };
  return undefined;
}

function send(s: Session, type: WatchEventType, obj: JsonObject | object): void {
  if (s.closed || s.raw.writableEnded) return;
  let object: unknown = obj;
  if (type !== "ERROR" && type !== "BOOKMARK" && isJson(obj)) {
    withTypeMeta(s.req, obj);
    if (wantsTable(s.req.accept)) object = toTable({ env: s.env, info: s.req.info, items: [obj], listMeta: { resourceVersion: String(meta(obj).resourceVersion) }, includeObject: s.req.query.includeObject });
  }
  s.raw.write(`${JSON.stringify({ type, object })}\n`);
}

function isJson(v: object): v is JsonObject {
  return !Array.isArray(v);
}
