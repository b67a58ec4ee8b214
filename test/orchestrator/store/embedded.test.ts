import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import { describeStoreContract } from "./contract.js";

describeStoreContract("embedded, in memory", async () => {
  const store = await openEmbeddedStore();
  return { store, dispose: () => store.close() };
});
