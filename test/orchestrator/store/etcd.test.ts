import { afterAll, beforeAll } from "vitest";
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
