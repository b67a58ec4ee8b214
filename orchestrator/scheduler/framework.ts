// The scheduling algorithm of one cycle over a snapshot: run the profile's filters (in the
// default profile's order, first failure wins per node), score the feasible nodes, normalise
// each plugin's scores to 0…100, weight and add them, and pick the best node; equal totals go
// to the node whose name sorts first so the same cluster always gives the same answer.
import { interPodAffinityFilter } from "./plugins/interPodAffinity.js";
import { interPodAffinityScore } from "./plugins/interPodAffinityScore.js";
import { nodeAffinityFilter, nodeAffinityScore } from "./plugins/nodeAffinity.js";
import { nodePortsFilter } from "./plugins/nodePorts.js";
import { nodeResourcesFitFilter } from "./plugins/nodeResourcesFit.js";
import { nodeUnschedulableFilter } from "./plugins/nodeUnschedulable.js";
import { podTopologySpreadFilter, podTopologySpreadScore } from "./plugins/podTopologySpread.js";
import { balancedAllocationPlugin, leastAllocatedPlugin } from "./plugins/resourceScores.js";
import { taintTolerationFilter, taintTolerationScore } from "./plugins/taintToleration.js";
import { volumeBindingFilter, type VolumeBindingOptions } from "./plugins/volumeBinding.js";
import type { V1Pod } from "@kubernetes/client-node";
import { BerthError } from "../../core/errors.js";
import type { FilterPlugin, FilterStatus, NodeFilter, NodeInfo, PodEntry, ScorePlugin, Snapshot } from "./types.js";

export interface Profile {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
  /** Runs after a node is chosen and before the pod is bound to it. */
  preBind?: (pod: V1Pod, node: string) => Promise<void>;
}

/** A PreBind plugin failed: the pod is not bound; the message names the plugin, as kube-scheduler's. */
export class PreBindError extends BerthError {
  override readonly code: string = "PRE_BIND";
}

type PreBind = (pod: V1Pod, node: string) => Promise<void>;

function namedPreBind(plugin: string, preBind: PreBind | undefined): PreBind | undefined {
  if (!preBind) return undefined;
  return async (pod, node) => {
    try {
      await preBind(pod, node);
    } catch (err) {
      throw new PreBindError(`running PreBind plugin "${plugin}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };
}

export interface ProfileOptions {
  volumeBinding?: VolumeBindingOptions;
}

/** kube-scheduler's default profile, as far as berth's cluster has the features. */
export function defaultProfile(options: ProfileOptions = {}): Profile {
  return {
    filters: [
      nodeUnschedulableFilter,
      taintTolerationFilter,
      nodeAffinityFilter,
      nodePortsFilter,
      nodeResourcesFitFilter,
      volumeBindingFilter(options.volumeBinding),
      podTopologySpreadFilter,
      interPodAffinityFilter,
    ],
    scores: [taintTolerationScore, nodeAffinityScore, podTopologySpreadScore, interPodAffinityScore, leastAllocatedPlugin, balancedAllocationPlugin],
    preBind: namedPreBind("VolumeBinding", options.volumeBinding?.preBind),
  };
}

export interface Diagnosis {
  /** Set when a PreFilter rejected the pod for every node at once. */
  preFilter?: FilterStatus;
  /** Why each infeasible node was rejected. */
  nodes: Map<string, FilterStatus>;
}

/** PreFilter for every plugin; a FilterStatus when one rejects the pod outright. */
export interface PreparedFilter {
  plugin: string;
  filter: NodeFilter;
}

export function prepareFilters(profile: Profile, pod: PodEntry, snapshot: Snapshot): PreparedFilter[] | FilterStatus {
  const filters: PreparedFilter[] = [];
  for (const plugin of profile.filters) {
    const prepared = plugin.prepare(pod, snapshot);
    if (typeof prepared !== "function") return { ...prepared, plugin: plugin.name };
    filters.push({ plugin: plugin.name, filter: prepared });
  }
  return filters;
}

export function runFilters(filters: readonly PreparedFilter[], node: NodeInfo): FilterStatus | undefined {
  for (const { plugin, filter } of filters) {
    const status = filter(node);
    if (status) return { ...status, plugin };
  }
  return undefined;
}

/** The plugins that rejected the pod somewhere, for the queue's event matching. */
export function rejectingPlugins(diagnosis: Diagnosis): Set<string> {
  const out = new Set<string>();
  if (diagnosis.preFilter?.plugin) out.add(diagnosis.preFilter.plugin);
  for (const status of diagnosis.nodes.values()) if (status.plugin) out.add(status.plugin);
  return out;
}

/**
 * How many feasible nodes are enough to pick from (kube-scheduler's adaptive
 * percentageOfNodesToScore): all of them up to 100 nodes, then 50% shrinking by 1% per 125
 * nodes, never under 5% nor under 100 nodes. Filtering stops once that many fit.
 */
export function numFeasibleNodesToFind(total: number): number {
  if (total < 100) return total;
  const percentage = Math.max(5, 50 - Math.floor(total / 125));
  return Math.max(100, Math.floor((total * percentage) / 100));
}

export interface FindOptions {
  /** Where the walk over the (name-sorted) nodes starts; rotating it spreads the search. */
  startIndex?: number;
}

export interface FilterOutcome {
  feasible: NodeInfo[];
  diagnosis: Diagnosis;
  /** Nodes filtered before enough feasible ones were found. */
  evaluated: number;
}

export function findFeasibleNodes(profile: Profile, pod: PodEntry, snapshot: Snapshot, options: FindOptions = {}): FilterOutcome {
  const diagnosis: Diagnosis = { nodes: new Map() };
  const filters = prepareFilters(profile, pod, snapshot);
  if (!Array.isArray(filters)) return { feasible: [], diagnosis: { ...diagnosis, preFilter: filters }, evaluated: 0 };
  const feasible: NodeInfo[] = [];
  const nodes = snapshot.nodes;
  const enough = numFeasibleNodesToFind(nodes.length);
  const start = nodes.length > 0 ? (options.startIndex ?? 0) % nodes.length : 0;
  let evaluated = 0;
  while (evaluated < nodes.length && feasible.length < enough) {
    const node = nodes[(start + evaluated) % nodes.length];
    evaluated++;
    const status = runFilters(filters, node);
    if (status) diagnosis.nodes.set(node.name, status);
    else feasible.push(node);
  }
  return { feasible, diagnosis, evaluated };
}

export interface NodeScore {
  name: string;
  total: number;
  /** Normalised score of each plugin, before weighting (for explaining a decision). */
  byPlugin: Record<string, number>;
}

export function scoreNodes(profile: Profile, pod: PodEntry, snapshot: Snapshot, feasible: readonly NodeInfo[]): NodeScore[] {
  const out: NodeScore[] = feasible.map((n) => ({ name: n.name, total: 0, byPlugin: {} }));
  for (const plugin of profile.scores) {
    const scorer = plugin.prepare(pod, snapshot, feasible);
    const raw = feasible.map((n) => scorer.score(n));
    const normalized = scorer.normalize ? scorer.normalize(raw) : raw;
    for (let i = 0; i < normalized.length; i++) {
      out[i].byPlugin[plugin.name] = (out[i].byPlugin[plugin.name] ?? 0) + normalized[i];
      out[i].total += normalized[i] * plugin.weight;
    }
  }
  return out;
}

/** Highest total; ties go to the first name in sort order. */
export function selectHost(scores: readonly NodeScore[]): string | undefined {
  let best: NodeScore | undefined;
  for (const s of scores) {
    if (!best || s.total > best.total || (s.total === best.total && s.name < best.name)) best = s;
  }
  return best?.name;
}

export type ScheduleResult = { node: string; feasible: number; evaluated: number } | { node?: undefined; diagnosis: Diagnosis; evaluated: number };

export function schedulePod(profile: Profile, pod: PodEntry, snapshot: Snapshot, options: FindOptions = {}): ScheduleResult {
  const { feasible, diagnosis, evaluated } = findFeasibleNodes(profile, pod, snapshot, options);
  if (feasible.length === 0) return { diagnosis, evaluated };
  // One feasible node needs no scoring (kube-scheduler skips it too).
  const node = feasible.length === 1 ? feasible[0].name : selectHost(scoreNodes(profile, pod, snapshot, feasible));
  return node ? { node, feasible: feasible.length, evaluated } : { diagnosis, evaluated };
}
