import { describe, expect, it } from "vitest";
import type { ReleaseStatus } from "../../../release/model.js";
import { MemoryReleaseStorage, pruneHistory, revisionsToPrune } from "../../../release/storage/index.js";
import { buildRelease } from "../fixtures.js";

const history = (statuses: ReleaseStatus[]) => statuses.map((status, i) => buildRelease({ version: i + 1, status }));

describe("revisionsToPrune", () => {
  it.each<[string, ReleaseStatus[], number, number[]]>([
    ["under the limit", ["superseded", "deployed"], 10, []],
    ["0 keeps everything", ["superseded", "superseded", "deployed"], 0, []],
    ["oldest superseded first", ["superseded", "superseded", "superseded", "deployed"], 2, [1, 2]],
    ["never the deployed one", ["deployed", "failed", "failed", "failed"], 2, [2, 3]],
    ["never the newest", ["superseded", "deployed", "failed"], 1, [1]],
    ["pending revisions stay", ["superseded", "pending-upgrade", "deployed", "failed"], 2, [1]],
  ])("%s", (_label, statuses, max, expected) => {
    expect(revisionsToPrune(history(statuses), max)).toEqual(expected);
  });
});

describe("pruneHistory", () => {
  it("deletes from storage", async () => {
    const s = new MemoryReleaseStorage();
    for (const r of history(["superseded", "superseded", "superseded", "deployed"])) await s.create(r);
    expect(await pruneHistory(s, { namespace: "default", name: "demo" }, 2)).toEqual([1, 2]);
    expect((await s.history({ namespace: "default", name: "demo" })).map((r) => r.version)).toEqual([3, 4]);
  });
});
