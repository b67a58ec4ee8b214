// The store over a real etcd v3 cluster (`berth cluster up --store etcd --etcd-endpoints …`).
import { UsageError } from "../../../core/errors.js";
import type { Store } from "../types.js";
import { EtcdStore, type EtcdStoreOptions } from "./etcdStore.js";

export type { EtcdStoreOptions } from "./etcdStore.js";

/** Connects and checks etcd answers, so a wrong endpoint fails here and not at the first write. */
export async function openEtcdStore(options: EtcdStoreOptions): Promise<Store> {
  if (options.endpoints.length === 0) throw new UsageError("etcd endpoints: expected at least one URL, got none");
  for (const endpoint of options.endpoints) {
    if (!/^https?:\/\/[^/]+/.test(endpoint)) {
      throw new UsageError(`etcd endpoints: expected http(s)://HOST:PORT, got "${endpoint}"`);
    }
  }
  const store = new EtcdStore(options);
  try {
    await store.revision();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
