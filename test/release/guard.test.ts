import os from "node:os";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../core/clock.js";
import { ConflictError } from "../../core/errors.js";
import { guardRelease } from "../../release/guard.js";
import { lockState, newLock, ownerAlive } from "../../release/lock.js";
import type { ReleaseStatus } from "../../release/model.js";
import { MemoryReleaseStorage } from "../../release/storage/index.js";
import { buildRelease } from "./fixtures.js";

const T0 = Date.parse("2024-01-01T00:00:00Z");
const ref = { namespace: "default", name: "demo" };
const clock = new FakeClock(T0);
const alive = () => true;
const lock = (owner = "elsewhere:1") => newLock(clock, { ttlMs: 60_000, owner });

describe("lockState", () => {
  it.each<[string, ReleaseStatus, ReturnType<typeof lock> | undefined, number, (o: string) => boolean, string]>([
    ["deployed is free", "deployed", undefined, 0, alive, "free"],
    ["pending with a live lock is held", "pending-upgrade", lock(), 0, alive, "held"],
    ["pending without a lock is stale", "pending-install", undefined, 0, alive, "stale"],
    ["an expired lock is stale", "pending-upgrade", lock(), 10 * 60_000, alive, "stale"],
    ["a dead owner is stale", "pending-rollback", lock(), 0, () => false, "stale"],
  ])("%s", (_label, status, l, later, isAlive, kind) => {
    const c = new FakeClock(T0 + later);
    expect(lockState(buildRelease({ status, lock: l }), c, isAlive).kind).toBe(kind);
  });
});

describe("ownerAlive", () => {
  it.each([
    ["this process", `${os.hostname()}:${process.pid}`, true],
    ["another host", "far-away:1", true],
    ["a pid that cannot exist here", `${os.hostname()}:2147483646`, false],
  ])("%s", (_label, owner, expected) => {
    expect(ownerAlive(owner)).toBe(expected);
  });
});

describe("guardRelease", () => {
  it("refuses while another operation holds the release", async () => {
    const s = new MemoryReleaseStorage();
    await s.create(buildRelease({ status: "pending-upgrade", lock: lock("far-away:7") }));
    const err = await guardRelease(s, ref, clock).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(String(err)).toContain("another operation (pending-upgrade of revision 1 by far-away:7");
  });

  it("takes over a stale pending revision, marks it failed and says so", async () => {
    const s = new MemoryReleaseStorage();
    await s.create(buildRelease({ version: 1, status: "deployed" }));
    await s.create(buildRelease({ version: 2, status: "pending-upgrade", lock: lock(`${os.hostname()}:2147483646`) }));
    const g = await guardRelease(s, ref, clock);
    expect(g.recovered).toMatch(/revision 2 was left pending-upgrade .* is gone\); marked it failed/);
    expect((await s.get(ref, 2)).info.status).toBe("failed");
    expect((await s.get(ref, 1)).info.status).toBe("deployed");
  });
});
