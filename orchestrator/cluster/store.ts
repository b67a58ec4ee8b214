// Opens the cluster's store: the embedded one under the data directory, or etcd.
import { UsageError } from "../../core/errors.js";
import { StoreUnavailable } from "../store/errors.js";
import { openEmbeddedStore } from "../store/embedded/index.js";
import type { Store } from "../store/types.js";

export type StoreKind = "embedded" | "etcd";

export interface OpenClusterStoreOptions {
  kind: StoreKind;
  /** Embedded store directory. */
  storeDir: string;
  etcdEndpoints?: string[];
}

// Resolved at run time so the embedded-only build does not load the etcd client.
const ETCD_MODULE = "../store/etcd/index.js";

type OpenEtcd = (options: { endpoints: string[] }) => Promise<Store>;

function isOpenEtcd(v: unknown): v is OpenEtcd {
  return typeof v === "function";
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
  const mod: unknown = await import(ETCD_MODULE).catch((err: unknown) => {
    throw new StoreUnavailable(`the etcd store is not available in this build: ${String(err)}`, { cause: err });
  });
  const open = typeof mod === "object" && mod !== null && "openEtcdStore" in mod ? mod.openEtcdStore : undefined;
  if (!isOpenEtcd(open)) throw new StoreUnavailable("the etcd store module does not export openEtcdStore");
  return open({ endpoints });
}
