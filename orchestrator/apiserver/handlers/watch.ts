// watch over chunked HTTP: newline-delimited JSON events, resumable from a resourceVersion,
// filtered by selectors (objects moving out of a selector arrive as DELETED, into it as
// ADDED), with periodic BOOKMARKs and a 410 Expired ERROR event past compaction.
import type { ServerResponse } from "node:http";
import type { ApiEnv, ApiRequest } from "../context.js";
import { badRequest } from "../errors.js";
import { intParam } from "../body.js";
import type { JsonObject } from "../object.js";
import { toStatus } from "../status.js";
import { decode, resourcePrefix } from "../storage.js";
import type { KeyValue, Watch, WatchEvent } from "../../store/types.js";
import { groupVersion } from "../types.js";
import { checkIncludeObject, tableBody } from "../table/index.js";
import { checkTargetFits, negotiateOutput, type OutputTarget } from "../negotiate.js";
import { JsonBody, ObjectWriter } from "../rawJson.js";
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
  output: OutputTarget;
  writer: ObjectWriter;
  lastRevision: number;
  closed: boolean;
  cleanups: (() => void)[];
}

export async function watchObjects(env: ApiEnv, req: ApiRequest, raw: ServerResponse, settings: WatchSettings): Promise<void> {
  const output = negotiateOutput(req.accept);
  checkTargetFits(output, "watch");
  if (output.kind === "Table") checkIncludeObject(req.query.includeObject);
  const filter = selectorFilter(req);
  const rv = req.query.resourceVersion ?? "";
  if (rv !== "" && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  const initial = rv === "" || rv === "0" || req.query.sendInitialEvents === "true";
  const page = initial ? await env.storage.listRaw(req.info, { namespace: req.namespace, filter }) : undefined;
  const after = page ? page.revision : Number(rv);
  const writer = new ObjectWriter({ apiVersion: groupVersion(req.info), kind: req.info.kind });
  const session: Session = { env, req, raw, filter, output, writer, lastRevision: after, closed: false, cleanups: [] };
  raw.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  // Clients wait for the headers before reading events; send them even if no event comes.
  raw.flushHeaders();
  for (const kv of page?.kvs ?? []) sendObject(session, "ADDED", kv);
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
    if (converted) sendObject(s, converted.type, converted.kv, converted.revision);
  }
}

/** The event a store change is for this watcher, and the stored value it shows. */
function convert(s: Session, e: WatchEvent): { type: WatchEventType; kv: KeyValue; revision?: number } | undefined {
  const filter = s.filter;
  const match = (kv: KeyValue | undefined) => kv !== undefined && (!filter || filter(kv));
  const old = e.prevKv;
  if (e.type === "delete") {
    // A deleted object is shown as it was, at the delete's revision.
    if (!old || !match(old)) return undefined;
    return { type: "DELETED", kv: old, revision: e.kv.modRevision };
  }
  if (!filter) return { type: old ? "MODIFIED" : "ADDED", kv: e.kv };
  const now = match(e.kv);
  const before = match(old);
  if (now && old && before) return { type: "MODIFIED", kv: e.kv };
  if (now) return { type: "ADDED", kv: e.kv };
  if (before) return { type: "DELETED", kv: e.kv };
  return undefined;
}

/** An object event, spliced from the stored text unless a Table needs the parsed object. */
function sendObject(s: Session, type: WatchEventType, kv: KeyValue, revision = kv.modRevision): void {
  if (s.closed || s.raw.writableEnded) return;
  const body = new JsonBody().ascii(`{"type":"${type}","object":`);
  if (s.output.kind === "Table") {
    const rows = [{ kv, obj: withTypeMeta(s.req, decode(kv)), revision }];
    body.bytes(tableBody({ env: s.env, info: s.req.info, listMeta: { resourceVersion: String(revision) }, includeObject: s.req.query.includeObject, version: s.output.version }, rows, s.writer));
  } else if (s.output.kind === "PartialObjectMetadata") {
    s.writer.partial(body, kv, s.output.version, revision);
  } else {
    s.writer.object(body, kv, revision);
  }
  s.raw.write(body.ascii("}\n").toBuffer());
}

/** ERROR and BOOKMARK events; a metadata-only watch gets its bookmarks as PartialObjectMetadata. */
function send(s: Session, type: "ERROR" | "BOOKMARK", obj: JsonObject | object): void {
  if (s.closed || s.raw.writableEnded) return;
  let object: unknown = obj;
  if (type === "BOOKMARK" && s.output.kind === "PartialObjectMetadata" && "metadata" in obj) {
    object = { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${s.output.version}`, metadata: obj.metadata };
  }
  s.raw.write(`${JSON.stringify({ type, object })}\n`);
}
