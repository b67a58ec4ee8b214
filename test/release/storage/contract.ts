// The ReleaseStorage contract, run against every implementation (memory here, Secrets on a real
// built-in cluster in secrets.test.ts).
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../core/errors.js";
import type { ReleaseStorage } from "../../../release/storage/index.js";
import { buildRelease } from "../fixtures.js";

/** `namespace` may change per make() (a fresh namespace per test on a shared cluster). */
export function storageContract(label: string, make: () => Promise<ReleaseStorage> | ReleaseStorage, ns: () => string = () => "default"): void {
  const ref = (name: string) => ({ namespace: ns(), name });
  const rel = (o: Parameters<typeof buildRelease>[0]) => buildRelease({ namespace: ns(), ...o });

  describe(`${label}: ReleaseStorage contract`, () => {
    it("create then get round-trips the whole record", async () => {
      const s = await make();
      const r = rel({ name: "rt", config: { a: { b: [1, "x"] } } });
      const created = await s.create(r);
      expect(created.storageVersion).toBeTruthy();
      const got = await s.get(ref("rt"), 1);
      const { storageVersion: _a, ...payload } = got;
      expect(payload).toEqual(r);
    });

    it("refuses a second create of the same revision", async () => {
      const s = await make();
      await s.create(rel({ name: "dup" }));
      await expect(s.create(rel({ name: "dup" }))).rejects.toBeInstanceOf(ConflictError);
    });

    it("update is compare-and-swap on storageVersion", async () => {
      const s = await make();
      const created = await s.create(rel({ name: "cas" }));
      const first = await s.update({ ...created, info: { ...created.info, status: "superseded" } });
      expect(first.info.status).toBe("superseded");
      await expect(s.update({ ...created, info: { ...created.info, status: "failed" } })).rejects.toBeInstanceOf(ConflictError);
      expect((await s.get(ref("cas"), 1)).info.status).toBe("superseded");
    });

    it.each([
      ["get", (s: ReleaseStorage) => s.get(ref("nope"), 3)],
      ["delete", (s: ReleaseStorage) => s.delete(ref("nope"), 3)],
    ])("%s of a missing revision is NotFoundError naming it", async (_label, op) => {
      const s = await make();
      const err = await op(s).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect(String(err)).toContain("nope: revision 3");
    });

    it("history is oldest first and only that release; list filters by status", async () => {
      const s = await make();
      await s.create(rel({ name: "h", version: 2, status: "deployed" }));
      await s.create(rel({ name: "h", version: 1, status: "superseded" }));
      await s.create(rel({ name: "other", version: 1, status: "failed" }));
      expect((await s.history(ref("h"))).map((r) => r.version)).toEqual([1, 2]);
      const deployed = await s.list({ namespace: ns(), statuses: ["deployed"] });
      expect(deployed.map((r) => `${r.name}.${r.version}`)).toEqual(["h.2"]);
      expect((await s.list({ namespace: ns() })).length).toBe(3);
    });

    it("delete removes one revision", async () => {
      const s = await make();
      await s.create(rel({ name: "del", version: 1 }));
      await s.create(rel({ name: "del", version: 2 }));
      const gone = await s.delete(ref("del"), 1);
      expect(gone.version).toBe(1);
      expect((await s.history(ref("del"))).map((r) => r.version)).toEqual([2]);
    });
  });
}
