import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEtcdStore } from "../../../orchestrator/store/etcd/index.js";
import { startEtcd, type LocalEtcd } from "../../helpers/etcd.js";
import { describeStoreContract } from "./contract.js";

let etcd: LocalEtcd;
let run = 0;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

// Each test gets its own key prefix in the one etcd: tests see only their own keys, while the
// revision counter is shared (the contract never assumes absolute revisions).
describeStoreContract("etcd", async () => {
  const store = await openEtcdStore({ endpoints: [etcd.endpoint], prefix: `/t${++run}` });
  return { store, dispose: () => store.close() };
});

describe("etcd store without a key prefix", () => {
  it("reads revisions and ranges over the whole key space", async () => {
    const store = await openEtcdStore({ endpoints: [etcd.endpoint] });
    const kv = await store.create("/noprefix/a", "1");
    expect(await store.revision()).toBeGreaterThanOrEqual(kv.modRevision);
    expect((await store.range("/noprefix/")).items).toEqual([kv]);
    expect(await store.compactedRevision()).toBeGreaterThanOrEqual(1);
    await store.close();
  });

  it("rejects endpoints that are not URLs, naming the bad value", async () => {
    await expect(openEtcdStore({ endpoints: ["127.0.0.1:2379"] })).rejects.toThrow('got "127.0.0.1:2379"');
  });
});
