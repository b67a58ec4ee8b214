// Durability of the embedded store: reopen, snapshots, a torn or corrupt log tail, the data dir
// lock, and a writer killed with SIGKILL at a random moment.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import { StoreUnavailable } from "../../../orchestrator/store/errors.js";
import type { KeyValue, Store } from "../../../orchestrator/store/types.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const CHILD = path.join(REPO_ROOT, "test/orchestrator/store/writer-child.mjs");
const BUILT_STORE = path.join(REPO_ROOT, "dist/orchestrator/store/embedded/index.js");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "berth-durable-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function reopen(options: { warnings?: string[]; snapshotEvery?: number } = {}): Promise<Store> {
  return openEmbeddedStore({
    dataDir: dir,
    snapshotEvery: options.snapshotEvery,
    onWarning: (message) => options.warnings?.push(message),
  });
}

async function writeKeys(store: Store, count: number): Promise<KeyValue[]> {
  const written: KeyValue[] = [];
  for (let i = 0; i < count; i++) written.push(await store.create(`/d/${String(i).padStart(3, "0")}`, `value ${i}`));
  return written;
}

async function lastSegment(): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.startsWith("wal-")).sort();
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(dir, n))).size));
  const withData = names.filter((_, i) => sizes[i] > 0);
  return path.join(dir, withData[withData.length - 1]);
}

describe("embedded store durability", () => {
  it("keeps every key, revision and deletion across reopen, through snapshots", async () => {
    const first = await reopen({ snapshotEvery: 10 });
    const written = await writeKeys(first, 35);
    await first.update("/d/001", "changed");
    await first.delete("/d/002");
    const revision = await first.revision();
    const before = await first.range("/d/");
    await first.close();
    const names = await readdir(dir);
    expect(names).toContain("snapshot.bin");
    expect(names.filter((n) => n.startsWith("wal-")).length).toBeLessThanOrEqual(2);

    const second = await reopen({ snapshotEvery: 10 });
    expect(await second.revision()).toBe(revision);
    expect(await second.range("/d/")).toEqual(before);
    expect((await second.get("/d/001"))?.createRevision).toBe(written[1].createRevision);
    const next = await second.create("/d/new", "x");
    expect(next.modRevision).toBe(revision + 1);
    await second.close();
  });

  interface Damage {
    truncateTo?: number;
    flipAt?: number;
  }
  it.each([
    ["a torn last record", "torn record", (size: number): Damage => ({ truncateTo: size - 3 })],
    ["a corrupt checksum", "checksum mismatch", (size: number): Damage => ({ flipAt: size - 2 })],
  ])("recovers from %s with a warning, keeping everything before it", async (_name, expected, damage) => {
    const store = await reopen();
    const written = await writeKeys(store, 20);
    await store.close();
    const segment = await lastSegment();
    const { truncateTo, flipAt } = damage((await stat(segment)).size);
    const handle = await open(segment, "r+");
    if (truncateTo !== undefined) await handle.truncate(truncateTo);
    if (flipAt !== undefined) {
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, flipAt);
      await handle.write(Buffer.from([byte[0] ^ 0xff]), 0, 1, flipAt);
    }
    await handle.close();

    const warnings: string[] = [];
    const recovered = await reopen({ warnings });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path.basename(segment));
    expect(warnings[0]).toContain(expected);
    const items = (await recovered.range("/d/")).items;
    expect(items).toEqual(written.slice(0, 19));
    const after = await recovered.create("/d/after", "x");
    expect(after.modRevision).toBe(written[18].modRevision + 1);
    await recovered.close();

    const clean: string[] = [];
    const again = await reopen({ warnings: clean });
    expect(clean).toEqual([]);
    expect((await again.range("/d/")).items).toHaveLength(20);
    await again.close();
  });

  it("snapshots at the first write once snapshotIntervalMs has passed on the injected clock", async () => {
    const clock = new FakeClock(1_000);
    const store = await openEmbeddedStore({ dataDir: dir, clock, snapshotIntervalMs: 60_000 });
    await store.create("/i/a", "1");
    clock.advance(59_999);
    await store.create("/i/b", "1");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await readdir(dir)).not.toContain("snapshot.bin");
    clock.advance(1);
    await store.create("/i/c", "1");
    await store.close();
    expect(await readdir(dir)).toContain("snapshot.bin");
  });

  it("refuses a second open of the same data dir while the first is open", async () => {
    const store = await reopen();
    const err = await reopen().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailable);
    expect(String(err)).toContain(`in use by process ${process.pid}`);
    await store.close();
    const again = await reopen();
    await again.close();
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("exit", resolve));
    await writeFile(path.join(dir, "LOCK"), `${dead.pid}\n`);
    const store = await reopen();
    expect(await readFile(path.join(dir, "LOCK"), "utf8")).toBe(`${process.pid}\n`);
    await store.close();
    expect(existsSync(path.join(dir, "LOCK"))).toBe(false);
  });

  it("keeps every acknowledged write of a writer killed with SIGKILL at a random moment", async () => {
    if (!existsSync(BUILT_STORE)) throw new Error(`${BUILT_STORE} is missing: run \`npm run build\` before the tests`);
    const acked = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      const killAfter = 20 + Math.floor(Math.random() * 400);
      for (const [key, rev] of await runAndKill({ prefix: `/k/${round}/`, killAfter })) acked.set(key, rev);
      const store = await reopen();
      for (const [key, modRevision] of acked) {
        expect((await store.get(key))?.modRevision, key).toBe(modRevision);
      }
      await store.close();
    }
    expect(acked.size).toBeGreaterThanOrEqual(60);
  });
});

/** Runs the writer child and SIGKILLs it once it has acknowledged `killAfter` writes. */
function runAndKill(options: { prefix: string; killAfter: number }): Promise<Map<string, number>> {
  const child = spawn(process.execPath, [CHILD, dir, options.prefix, "1000000", "8"], { stdio: ["ignore", "pipe", "pipe"] });
  const acked = new Map<string, number>();
  let buffered = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const [word, key, rev] = line.split(" ");
        if (word === "ack") acked.set(key, Number(rev));
      }
      if (acked.size >= options.killAfter) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`writer child exited on its own (${String(signal)}): ${stderr}`));
    });
  });
}
