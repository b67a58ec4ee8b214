// The public shapes of the template engine.
import type { Capabilities, ReleaseInfo, Values } from "../model.js";

/**
 * Looks an object up in the target cluster; returns {} when it does not exist. Synchronous
 * because templates are: callers prefetch or use a synchronous client.
 */
export type LookupFn = (apiVersion: string, kind: string, namespace: string, name: string) => Values;

export interface RenderOptions {
  release: ReleaseInfo;
  capabilities: Capabilities;
  /** Absent when there is no cluster (`berth template`): `lookup` then returns {}. */
  lookup?: LookupFn;
}

/**
 * Rendered text keyed by Helm's template names: "<chart>/templates/<file>" for the top chart,
 * "<chart>/charts/<sub>/templates/<file>" for subcharts; in sorted key order.
 */
export type RenderedTemplates = Map<string, string>;

/** What a template sees at its root (`@root` / `this` at the top of a file). */
export interface RootContext {
  Values: Values;
  Release: ReleaseInfo;
  Chart: Values;
  Capabilities: Capabilities;
  Files: Values;
  Template: { Name: string; BasePath: string };
}
