// The contract every in-cluster component (simulated nodes, scheduler, each controller)
// follows, so `berth cluster up` can start them in one process and any of them can also run
// alone against a remote API server: they reach the cluster only through the API (a
// kubeconfig), never the store.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Clock } from "../core/clock.js";

export interface ComponentLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ComponentOptions {
  /** How to reach the API server, with this component's own identity. */
  kubeConfig: KubeConfig;
  clock: Clock;
  logger?: ComponentLogger;
  /** The cluster's data directory, for components that keep files there (provisioned volumes). */
  dataDir?: string;
}

export interface Component {
  readonly name: string;
  /** Stops watches, queues and timers; resolves when no more work will run. */
  stop(): Promise<void>;
}

export type StartComponent<O extends ComponentOptions = ComponentOptions> = (options: O) => Promise<Component>;
