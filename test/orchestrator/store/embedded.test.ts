import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import { describeStoreContract } from "./contract.js";

describeStoreContract("embedded, in memory", async () => {
  const store = await openEmbeddedStore();
  return { store, dispose: () => store.close() };
});

describeStoreContract("embedded, durable", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "berth-store-"));
  const store = await openEmbeddedStore({ dataDir: dir, snapshotEvery: 50 });
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
