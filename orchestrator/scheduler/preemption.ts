// DefaultPreemption: when no node fits, find nodes where evicting lower-priority pods would
// make room. Per node: remove every lower-priority pod, check the pod fits, then reprieve
// victims from the highest priority down while it still fits. Among candidates pick the one
// whose most important victim has the lowest priority, then the smallest sum of victim
// priorities, then the fewest victims, then the first name.
import { cloneNodeInfo, removePod, addPod } from "./entries.js";
import { withReplacedNode } from "./cache.js";
import { preemptionMessage } from "./diagnosis.js";
import { prepareFilters, runFilters, type Diagnosis, type Profile } from "./framework.js";
import type { NodeInfo, PodEntry, Snapshot } from "./types.js";

export const NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NO_VICTIMS = "No preemption victims found for incoming pod";

export interface Candidate {
  node: string;
  victims: PodEntry[];
}

export interface PreemptionOutcome {
  candidate?: Candidate;
  /** The "preemption: …" sentence for the FitError message. */
  message: string;
}

function fitsOn(profile: Profile, pod: PodEntry, snapshot: Snapshot, node: NodeInfo): boolean {
  const filters = prepareFilters(profile, pod, withReplacedNode(snapshot, node));
  return Array.isArray(filters) && runFilters(filters, node) === undefined;
}

/** Victims on one node, or undefined when even removing every lower-priority pod is not enough. */
export function victimsOn(profile: Profile, pod: PodEntry, snapshot: Snapshot, node: NodeInfo): PodEntry[] | undefined {
  const what = cloneNodeInfo(node);
  const lower = [...node.pods.values()].filter((p) => p.priority < pod.priority);
  if (lower.length === 0) return undefined;
  for (const p of lower) removePod(what, p.key);
  if (!fitsOn(profile, pod, snapshot, what)) return undefined;
  lower.sort((a, b) => b.priority - a.priority || (a.key < b.key ? -1 : 1));
  const victims: PodEntry[] = [];
  for (const p of lower) {
    addPod(what, p);
    if (!fitsOn(profile, pod, snapshot, what)) {
      removePod(what, p.key);
      victims.push(p);
    }
  }
  return victims;
}

function better(a: Candidate, b: Candidate): boolean {
  const top = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + v.priority, 0);
  if (top(a) !== top(b)) return top(a) < top(b);
  if (sum(a) !== sum(b)) return sum(a) < sum(b);
  if (a.victims.length !== b.victims.length) return a.victims.length < b.victims.length;
  return a.node < b.node;
}

export interface PreemptOptions {
  profile: Profile;
  pod: PodEntry;
  snapshot: Snapshot;
  diagnosis: Diagnosis;
}

export function findPreemption(options: PreemptOptions): PreemptionOutcome {
  const { profile, pod, snapshot, diagnosis } = options;
  const total = snapshot.nodes.length;
  if (pod.pod.spec?.preemptionPolicy === "Never") return { message: "preemption: not eligible due to preemptionPolicy=Never." };
  if (diagnosis.preFilter) return { message: preemptionMessage(total, Array(total).fill(NOT_HELPFUL)) };
  const nominated = pod.pod.status?.nominatedNodeName;
  const nominatedNode = nominated ? snapshot.get(nominated) : undefined;
  if (nominatedNode && [...nominatedNode.pods.values()].some((p) => p.pod.metadata?.deletionTimestamp && p.priority < pod.priority)) {
    // Victims chosen earlier are still terminating: wait for them instead of preempting more.
    return { message: "preemption: not eligible due to a terminating pod on the nominated node." };
  }
  const reasons: string[] = [];
  let best: Candidate | undefined;
  for (const node of snapshot.nodes) {
    const status = diagnosis.nodes.get(node.name);
    if (!status || status.unresolvable) {
      reasons.push(NOT_HELPFUL);
      continue;
    }
    const victims = victimsOn(profile, pod, snapshot, node);
    if (!victims || victims.length === 0) {
      reasons.push(NO_VICTIMS);
      continue;
    }
    const candidate = { node: node.name, victims };
    if (!best || better(candidate, best)) best = candidate;
  }
  if (best) return { candidate: best, message: "" };
  return { message: preemptionMessage(total, reasons) };
}
