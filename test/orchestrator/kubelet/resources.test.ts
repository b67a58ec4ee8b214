// Quantity parsing and pod / node resource accounting: the numbers the scheduler and the
// simulated nodes must agree on.
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatMilliCPU,
  isQuantity,
  parseMilliQuantity,
  parseQuantity,
  QuantityError,
} from "../../../orchestrator/kubelet/quantity.js";
import {
  insufficient,
  nodeAllocatable,
  podRequests,
  subtractResources,
  sumRequests,
} from "../../../orchestrator/kubelet/resources.js";

describe("parseQuantity / parseMilliQuantity", () => {
  const cases: [string, number, number][] = [
    ["0", 0, 0],
    ["1", 1, 1000],
    ["1.5", 2, 1500],
    ["0.1", 1, 100],
    [".5", 1, 500],
    ["100m", 1, 100],
    ["1500m", 2, 1500],
    ["1n", 1, 1],
    ["250u", 1, 1],
    ["1k", 1000, 1_000_000],
    ["128Mi", 128 * 2 ** 20, 128 * 2 ** 20 * 1000],
    ["1Gi", 2 ** 30, 2 ** 30 * 1000],
    ["1.5Gi", 1.5 * 2 ** 30, 1.5 * 2 ** 30 * 1000],
    ["1G", 1e9, 1e12],
    ["8Ki", 8192, 8192000],
    ["1Ti", 2 ** 40, 2 ** 40 * 1000],
    ["2e3", 2000, 2_000_000],
    ["1E", 1e18, 1e21],
    ["1e-3", 1, 1],
    ["+3", 3, 3000],
    [" 4 ", 4, 4000],
  ];
  it.each(cases)("%s → %d base, %d milli", (text, base, milli) => {
    expect(parseQuantity(text)).toBe(base);
    expect(parseMilliQuantity(text)).toBe(milli);
    expect(isQuantity(text)).toBe(true);
  });

  it.each(["", "abc", "1x", "1.2.3", "Mi", "1mi", "1KB", "--1", "1e", "1 Gi", "0x10"])("rejects %j", (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(() => parseQuantity(text)).toThrow(QuantityError);
    expect(() => parseQuantity(text)).toThrow(`invalid quantity "${text}"`);
  });

  it("formats cpu and memory as Kubernetes prints them", () => {
    expect(formatMilliCPU(4000)).toBe("4");
    expect(formatMilliCPU(1500)).toBe("1500m");
    expect(formatBytes(8 * 2 ** 30)).toBe("8Gi");
    expect(formatBytes(1536 * 2 ** 20)).toBe("1536Mi");
    expect(formatBytes(1000)).toBe("1000");
    expect(formatBytes(0)).toBe("0");
  });
});

function container(name: string, requests?: Record<string, string>, extra: Partial<V1Container> = {}): V1Container {
  return { name, image: "nginx", resources: requests ? { requests } : undefined, ...extra };
}

function pod(options: { containers: V1Container[]; init?: V1Container[]; overhead?: Record<string, string>; nodeName?: string; phase?: string }): V1Pod {
  return {
    metadata: { name: "p", namespace: "default" },
    spec: { containers: options.containers, initContainers: options.init, overhead: options.overhead, nodeName: options.nodeName },
    status: { phase: options.phase ?? "Pending" },
  };
}

describe("podRequests", () => {
  it("sums app containers and counts one pod", () => {
    const r = podRequests(pod({ containers: [container("a", { cpu: "100m", memory: "64Mi" }), container("b", { cpu: "0.5", memory: "1Gi" })] }));
    expect(r).toEqual({ milliCPU: 600, memory: 64 * 2 ** 20 + 2 ** 30, ephemeralStorage: 0, pods: 1, scalar: {} });
  });

  it("takes the largest init container when it exceeds the app containers", () => {
    const r = podRequests(pod({
      containers: [container("app", { cpu: "200m" })],
      init: [container("i1", { cpu: "1" }), container("i2", { cpu: "300m", memory: "2Gi" })],
    }));
    expect(r.milliCPU).toBe(1000);
    expect(r.memory).toBe(2 * 2 ** 30);
  });

  it("adds sidecar init containers to the app containers and to later init containers", () => {
    const r = podRequests(pod({
      containers: [container("app", { cpu: "200m" })],
      init: [container("sidecar", { cpu: "100m" }, { restartPolicy: "Always" }), container("migrate", { cpu: "500m" })],
    }));
    // max(app 200 + sidecar 100, migrate 500 + sidecar 100)
    expect(r.milliCPU).toBe(600);
  });

  it("falls back to limits, adds overhead and extended resources", () => {
    const r = podRequests(pod({
      containers: [container("a", undefined, { resources: { limits: { cpu: "2", "nvidia.com/gpu": "1" } } })],
      overhead: { cpu: "250m", memory: "120Mi" },
    }));
    expect(r.milliCPU).toBe(2250);
    expect(r.memory).toBe(120 * 2 ** 20);
    expect(r.scalar).toEqual({ "nvidia.com/gpu": 1 });
  });

  it("counts 100m / 200Mi for containers without requests only when asked (scoring)", () => {
    const p = pod({ containers: [container("a"), container("b", { cpu: "1" })] });
    expect(podRequests(p).milliCPU).toBe(1000);
    expect(podRequests(p, { nonZero: true })).toMatchObject({ milliCPU: 1100, memory: 400 * 2 ** 20 });
  });
});

describe("node accounting", () => {
  const node = {
    metadata: { name: "n" },
    status: {
      capacity: { cpu: "4", memory: "8Gi", pods: "110" },
      allocatable: { cpu: "3800m", memory: "7Gi", pods: "110" },
    },
  };

  it("uses allocatable, else capacity", () => {
    expect(nodeAllocatable(node)).toMatchObject({ milliCPU: 3800, memory: 7 * 2 ** 30, pods: 110 });
    expect(nodeAllocatable({ status: { capacity: { cpu: "4" } } }).milliCPU).toBe(4000);
  });

  it("sums only bound, non-terminal pods and reports what does not fit", () => {
    const pods = [
      pod({ containers: [container("a", { cpu: "1", memory: "1Gi" })], nodeName: "n", phase: "Running" }),
      pod({ containers: [container("a", { cpu: "2" })], nodeName: "n", phase: "Succeeded" }),
      pod({ containers: [container("a", { cpu: "2" })], nodeName: "n", phase: "Failed" }),
      pod({ containers: [container("a", { cpu: "2" })] }),
      pod({ containers: [container("a", { cpu: "2500m" })], nodeName: "n" }),
    ];
    const used = sumRequests(pods);
    expect(used).toMatchObject({ milliCPU: 3500, memory: 2 ** 30, pods: 2 });
    const free = subtractResources(nodeAllocatable(node), used);
    expect(free.milliCPU).toBe(300);
    expect(insufficient(podRequests(pods[3]), free)).toEqual(["cpu"]);
    expect(insufficient(podRequests(pod({ containers: [container("a", { cpu: "100m" })] })), free)).toEqual([]);
    expect(insufficient(podRequests(pod({ containers: [container("a", undefined, { resources: { requests: { "x.io/fpga": "1" } } })] })), free)).toEqual(["x.io/fpga"]);
  });
});
