// The controller's Prometheus metrics, on a registry of its own (two controllers in one
// process, as in tests, do not collide). Served on GET /metrics by the controller's server.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface ControllerMetrics {
  registry: Registry;
  syncs: Counter<"result">;
  syncDuration: Histogram<"result">;
  gitFetch: Histogram<"result">;
  reconciles: Counter<"result">;
  /** Reads the queue depth at scrape time. */
  setQueueDepth(read: () => number): void;
}

export function createMetrics(): ControllerMetrics {
  const registry = new Registry();
  let readDepth: () => number = () => 0;
  const syncs = new Counter({ name: "berth_app_syncs_total", help: "Sync operations finished, by result", labelNames: ["result"], registers: [registry] });
  const syncDuration = new Histogram({
    name: "berth_app_sync_duration_seconds",
    help: "Duration of sync operations, from start to finish",
    labelNames: ["result"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const gitFetch = new Histogram({
    name: "berth_git_fetch_duration_seconds",
    help: "Time to fetch and resolve a revision",
    labelNames: ["result"],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const reconciles = new Counter({ name: "berth_app_reconciles_total", help: "Reconciles of applications, by result", labelNames: ["result"], registers: [registry] });
  new Gauge({
    name: "berth_app_queue_depth",
    help: "Applications waiting in the work queue",
    registers: [registry],
    collect() {
      this.set(readDepth());
    },
  });
  return {
    registry,
    syncs,
    syncDuration,
    gitFetch,
    reconciles,
    setQueueDepth(read) {
      readDepth = read;
    },
  };
}
