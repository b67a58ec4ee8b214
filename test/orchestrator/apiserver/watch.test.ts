import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startHarness, type Harness } from "./fixture.js";

let h: Harness;
let base = "";
beforeEach(async () => {
  h = await startHarness({ historyWindow: 5 });
  base = await h.server.app.listen({ port: 0, host: "127.0.0.1" });
});
afterEach(async () => {
  await h.close();
});

/** Reads newline-delimited events until `count` arrived. */
async function readEvents(url: string, count: number, during: () => Promise<void>): Promise<{ type: string; object: Record<string, unknown> }[]> {
  const controller = new AbortController();
  const res = await fetch(`${base}${url}`, { signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const events: { type: string; object: Record<string, unknown> }[] = [];
  let buffer = "";
  const pending = during();
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      events.push(JSON.parse(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
    }
  }
  await pending;
  controller.abort();
  return events;
}

describe("watch", () => {
  it("streams ADDED, MODIFIED and DELETED, and moves objects in and out of a selector", async () => {
    await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("a", { labels: { app: "x" } }) });
    const events = await readEvents("/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dx", 4, async () => {
      await h.request("PATCH", "/api/v1/namespaces/default/pods/a", { body: { metadata: { labels: { app: "x", v: "2" } } }, contentType: "application/merge-patch+json" });
      await h.request("PATCH", "/api/v1/namespaces/default/pods/a", { body: { metadata: { labels: { app: "y" } } }, contentType: "application/merge-patch+json" });
      await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("b", { labels: { app: "y" } }) });
      await h.request("PATCH", "/api/v1/namespaces/default/pods/b", { body: { metadata: { labels: { app: "x" } } }, contentType: "application/merge-patch+json" });
    });
    expect(events.map((e) => `${e.type}:${(e.object.metadata as { name: string }).name}`)).toEqual(["ADDED:a", "MODIFIED:a", "DELETED:a", "ADDED:b"]);
  });

  it("resumes from a resourceVersion", async () => {
    const created = await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("a") });
    const rv = (created.json.metadata as { resourceVersion: string }).resourceVersion;
    await h.request("DELETE", "/api/v1/namespaces/default/pods/a");
    const events = await readEvents(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`, 1, async () => {});
    expect(events[0].type).toBe("DELETED");
  });

  it("answers a watch from a compacted revision with a 410 Expired ERROR event", async () => {
    for (let i = 0; i < 8; i++) await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `c${i}` } } });
    await h.store.compact(await h.store.revision());
    const events = await readEvents("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2", 1, async () => {});
    expect(events[0].type).toBe("ERROR");
    expect(events[0].object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
  });

  it("sends bookmarks on the clock when asked", async () => {
    const events = await readEvents("/api/v1/namespaces/default/pods?watch=1&resourceVersion=1&allowWatchBookmarks=true", 1, async () => {
      // GC timer + watch timeout + bookmark timer: the watch is fully set up.
      while (h.clock.pending() < 3) await new Promise((r) => setImmediate(r));
      h.clock.advance(60_000);
    });
    expect(events[0].type).toBe("BOOKMARK");
    expect(Number((events[0].object.metadata as { resourceVersion: string }).resourceVersion)).toBeGreaterThan(0);
  });
});
