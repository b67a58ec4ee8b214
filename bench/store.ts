// `npm run bench -- store`: the embedded store (durable, tmp data dir) and a local etcd (tmp
// data dir, default durable settings) side by side: writes/s of 1 KiB objects with 1 and 16
// concurrent writers, reads/s (get of random keys, 16 concurrent readers), and watch fan-out
// (events/s delivered to 100 watchers). Each phase runs for a fixed time, so the whole run
// stays under a minute. Figures are printed, never asserted.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { formatTable } from "../cli/output.js";
import { openEmbeddedStore } from "../orchestrator/store/embedded/index.js";
import { openEtcdStore } from "../orchestrator/store/etcd/index.js";
import { startLocalEtcd } from "../orchestrator/store/etcd/localEtcd.js";
import type { Store, WatchEvent } from "../orchestrator/store/types.js";

const WRITE_MS = 3_000;
const READ_MS = 2_000;
const WATCHERS = 100;
const FANOUT_WRITES = 2_000;
const VALUE = JSON.stringify({ kind: "ConfigMap", data: { blob: "x".repeat(1024 - 40) } });

interface Figures {
  writes1: number;
  writes16: number;
  reads: number;
  fanout: number;
}

/** Runs `workers` loops of op for `ms`; returns completed ops per second. */
async function rate(options: { workers: number; ms: number; op: (n: number) => Promise<unknown> }): Promise<number> {
  let done = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + options.ms;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await options.op(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  return done / ((performance.now() - start) / 1000);
}

async function fanout(store: Store): Promise<number> {
  const after = await store.revision();
  let delivered = 0;
  const expected = WATCHERS * FANOUT_WRITES;
  let finish: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (finish = resolve));
  const onEvents = (events: WatchEvent[]): void => {
    delivered += events.length;
    if (delivered >= expected) finish();
  };
  const watches = await Promise.all(
    Array.from({ length: WATCHERS }, () => store.watch("/fan/", { afterRevision: after }, { onEvents, onError: (err) => { throw err; } })),
  );
  const start = performance.now();
  let next = 0;
  const writer = async (): Promise<void> => {
    while (next < FANOUT_WRITES) await store.create(`/fan/${next++}`, VALUE);
  };
  await Promise.all(Array.from({ length: 16 }, writer));
  await all;
  const seconds = (performance.now() - start) / 1000;
  for (const w of watches) await w.cancel();
  return delivered / seconds;
}

async function measure(store: Store): Promise<Figures> {
  const writes1 = await rate({ workers: 1, ms: WRITE_MS, op: (n) => store.create(`/w1/${n}`, VALUE) });
  const writes16 = await rate({ workers: 16, ms: WRITE_MS, op: (n) => store.create(`/w16/${n}`, VALUE) });
  const keys = (await store.range("/w16/", { limit: 5_000 })).items.map((kv) => kv.key);
  const reads = await rate({ workers: 16, ms: READ_MS, op: () => store.get(keys[Math.floor(Math.random() * keys.length)]) });
  return { writes1, writes16, reads, fanout: await fanout(store) };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "berth-bench-store-"));
  const embeddedStore = await openEmbeddedStore({ dataDir });
  const embedded = await measure(embeddedStore);
  await embeddedStore.close();
  await rm(dataDir, { recursive: true, force: true });

  const etcd = await startLocalEtcd();
  let remote: Figures;
  try {
    const store = await openEtcdStore({ endpoints: [etcd.endpoint] });
    remote = await measure(store);
    await store.close();
  } finally {
    await etcd.stop();
  }

  const rows: { metric: string; key: keyof Figures }[] = [
    { metric: "writes/s, 1 writer (1 KiB, durable)", key: "writes1" },
    { metric: "writes/s, 16 writers (1 KiB, durable)", key: "writes16" },
    { metric: "reads/s, get random key (16 readers)", key: "reads" },
    { metric: `watch events/s delivered (${WATCHERS} watchers)`, key: "fanout" },
  ];
  const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
  process.stdout.write(
    formatTable(rows, [
      { header: "metric", value: (r) => r.metric },
      { header: "embedded", value: (r) => fmt(embedded[r.key]) },
      { header: "etcd", value: (r) => fmt(remote[r.key]) },
      { header: "embedded/etcd", value: (r) => `${(embedded[r.key] / remote[r.key]).toFixed(1)}x` },
    ]),
  );
  const met = embedded.writes1 >= remote.writes1 && embedded.writes16 >= remote.writes16;
  process.stdout.write(`\naim: embedded durable writes/s at least etcd's (1 and 16 writers): ${met ? "met" : "NOT met"}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
