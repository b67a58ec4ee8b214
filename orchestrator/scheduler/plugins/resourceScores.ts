// The two resource scores of the default profile (NodeResourcesFit's LeastAllocated strategy
// and NodeResourcesBalancedAllocation), over cpu and memory with weight 1 each, counting the
// pod itself and using the 100m / 200Mi stand-in for containers that request nothing.
import { MAX_NODE_SCORE, type NodeInfo, type PodEntry, type ScorePlugin } from "../types.js";

type Dim = "milliCPU" | "memory";
const DIMS: readonly Dim[] = ["milliCPU", "memory"];

function requestedWith(pod: PodEntry, node: NodeInfo, dim: Dim): number {
  return node.nonZeroRequested[dim] + pod.nonZero[dim];
}

/** Free share of each resource after placing the pod, averaged: emptier nodes score higher. */
export function leastAllocatedScore(pod: PodEntry, node: NodeInfo): number {
  let sum = 0;
  for (const dim of DIMS) {
    const capacity = node.allocatable[dim];
    const requested = requestedWith(pod, node, dim);
    if (capacity > 0 && requested <= capacity) sum += Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
  }
  return Math.floor(sum / DIMS.length);
}

/** 100 when cpu and memory would be used in the same proportion, lower as they diverge. */
export function balancedAllocationScore(pod: PodEntry, node: NodeInfo): number {
  const fractions = DIMS.map((dim) => {
    const capacity = node.allocatable[dim];
    return capacity > 0 ? Math.min(1, requestedWith(pod, node, dim) / capacity) : 1;
  });
  const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
  const std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

export const leastAllocatedPlugin: ScorePlugin = {
  name: "NodeResourcesFit",
  weight: 1,
  prepare: (pod) => ({ score: (node) => leastAllocatedScore(pod, node) }),
};

export const balancedAllocationPlugin: ScorePlugin = {
  name: "NodeResourcesBalancedAllocation",
  weight: 1,
  prepare: (pod) => ({ score: (node) => balancedAllocationScore(pod, node) }),
};
