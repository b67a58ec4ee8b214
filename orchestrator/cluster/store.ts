// Opens the cluster's store: the embedded one under the data directory, or etcd.
import { UsageError } from "../../core/errors.js";
import { openEmbeddedStore } from "../store/embedded/index.js";
import type { Store } from "../store/types.js";

export type StoreKind = "embedded" | "etcd";

export interface OpenClusterStoreOptions {
  kind: StoreKind;
  /** Embedded store directory. */
  storeDir: string;
  etcdEndpoints?: string[];
}

export function parseEndpoints(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    try {
      const url = new URL(s);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
      return url.origin;
    } catch {
      throw new UsageError(`--etcd-endpoints: "${s}" is not a URL like http://127.0.0.1:2379`);
    }
  });
}

export async function openClusterStore(options: OpenClusterStoreOptions): Promise<Store> {
  if (options.kind === "embedded") return openEmbeddedStore({ dataDir: options.storeDir });
  const endpoints = options.etcdEndpoints ?? [];
  if (endpoints.length === 0) throw new UsageError("--store etcd needs --etcd-endpoints URLS (comma-separated)");
  // Imported lazily so clusters on the embedded store never load the etcd client.
  const { openEtcdStore } = await import("../store/etcd/index.js");
  return openEtcdStore({ endpoints });
}
