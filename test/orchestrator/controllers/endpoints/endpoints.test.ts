import type { V1Pod, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { desiredSlices, endpointSubsets, resolvePort } from "../../../../orchestrator/controllers/endpoints/compute.js";
import { useControllerHarness } from "../job/harness.js";

function service(spec: Partial<NonNullable<V1Service["spec"]>> = {}): V1Service {
  return { metadata: { name: "web", namespace: "default", uid: "s1" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }], ...spec } };
}

function pod(name: string, o: { ip?: string; ready?: boolean; port?: number; node?: string; app?: string; deleting?: boolean } = {}): V1Pod {
  return {
    metadata: { name, namespace: "default", uid: `u-${name}`, labels: { app: o.app ?? "web" }, ...(o.deleting ? { deletionTimestamp: new Date(0) } : {}) },
    spec: { nodeName: o.node ?? "n1", containers: [{ name: "c", image: "x", ports: [{ name: "http", containerPort: o.port ?? 8080 }] }] },
    status: { phase: "Running", podIP: o.ip ?? `10.0.0.${name.length}`, conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }] },
  };
}

describe("endpoint computation", () => {
  it("resolves named target ports per pod", () => {
    expect(resolvePort(pod("a", { port: 9000 }), { port: 80, targetPort: "http" })).toBe(9000);
    expect(resolvePort(pod("a"), { port: 80, targetPort: "nope" })).toBeUndefined();
    expect(resolvePort(pod("a"), { port: 80 })).toBe(80);
  });

  const table: { name: string; pods: V1Pod[]; svc?: V1Service; want: unknown }[] = [
    { name: "ready and not ready", pods: [pod("a", { ip: "10.0.0.1" }), pod("b", { ip: "10.0.0.2", ready: false })], want: [{ ports: [{ name: "http", port: 8080, protocol: "TCP" }], addresses: [{ ip: "10.0.0.1" }], notReadyAddresses: [{ ip: "10.0.0.2" }] }] },
    { name: "other labels and no IP are left out", pods: [pod("a", { app: "db" }), { ...pod("b"), status: { phase: "Pending" } }], want: [] },
    { name: "different ports make two subsets", pods: [pod("a", { ip: "10.0.0.1", port: 1 }), pod("b", { ip: "10.0.0.2", port: 2 })], want: [{ ports: [{ port: 1 }] }, { ports: [{ port: 2 }] }] },
    { name: "terminating pods are not endpoints", pods: [pod("a", { deleting: true })], want: [] },
    { name: "publishNotReadyAddresses", svc: service({ publishNotReadyAddresses: true }), pods: [pod("a", { ip: "10.0.0.9", ready: false })], want: [{ addresses: [{ ip: "10.0.0.9" }] }] },
  ];
  for (const c of table) it(c.name, () => expect(endpointSubsets(c.svc ?? service(), c.pods)).toMatchObject(c.want as object));

  it("slices carry conditions, node and zone, 100 endpoints at most", () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${String(i).padStart(3, "0")}`, { ip: `10.1.${Math.floor(i / 250)}.${i % 250}`, ready: i !== 0 }));
    const slices = desiredSlices(service(), pods, new Map([["n1", "zone-a"]]));
    expect(slices.map((s) => s.endpoints.length)).toEqual([100, 50]);
    expect(slices[0].endpoints[0]).toMatchObject({ addresses: ["10.1.0.0"], conditions: { ready: false, serving: false, terminating: false }, nodeName: "n1", zone: "zone-a", targetRef: { kind: "Pod", name: "p000" } });
    expect(desiredSlices(service(), [], new Map())).toEqual([{ ports: [], endpoints: [] }]);
  });
});

describe("Service → Endpoints and EndpointSlices against the API server", () => {
  const h = useControllerHarness();

  const get = (kind: string, apiVersion: string, name: string) => h.client.tryGet({ apiVersion, kind, namespace: "default", name });
  const slices = async () => (await h.client.list({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" }, { namespace: "default", labelSelector: "kubernetes.io/service-name=web" })).items;

  it("gives the Service a ClusterIP and tracks pods becoming ready", async () => {
    const svc = await h.client.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } });
    expect((svc.spec as { clusterIP: string }).clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    const p = await h.client.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace: "default", labels: { app: "web" } }, spec: { nodeName: "n1", containers: [{ name: "c", image: "nginx" }] } });
    await h.setPodPhase(p, "Running", { ready: false, ip: "10.244.0.5" });
    const notReady = await h.until(async () => {
      const ep = await get("Endpoints", "v1", "web");
      const subsets = (ep?.subsets ?? []) as { notReadyAddresses?: { ip: string }[] }[];
      return subsets[0]?.notReadyAddresses?.[0]?.ip === "10.244.0.5" && subsets;
    });
    expect(notReady).toHaveLength(1);
    await h.setPodPhase(p, "Running", { ready: true, ip: "10.244.0.5" });
    await h.until(async () => {
      const ep = await get("Endpoints", "v1", "web");
      return ((ep?.subsets ?? []) as { addresses?: { ip: string }[] }[])[0]?.addresses?.[0]?.ip === "10.244.0.5";
    });
    const slice = await h.until(async () => {
      const s = (await slices())[0];
      const eps = (s?.endpoints ?? []) as { conditions: { ready: boolean } }[];
      return eps[0]?.conditions.ready === true && s;
    });
    expect(slice.metadata.labels).toMatchObject({ "kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" });
    expect(slice).toMatchObject({ addressType: "IPv4", ports: [{ port: 8080, protocol: "TCP" }] });
    await h.client.delete({ apiVersion: "v1", kind: "Pod", namespace: "default", name: "web-1" });
    await h.until(async () => (((await get("Endpoints", "v1", "web"))?.subsets ?? []) as unknown[]).length === 0);
  });

  it("keeps a kubernetes Service at the first IP pointing at the API server", async () => {
    const svc = await h.until(async () => get("Service", "v1", "kubernetes"));
    expect((svc.spec as { clusterIP: string }).clusterIP).toBe("10.96.0.1");
    const ep = await h.until(async () => get("Endpoints", "v1", "kubernetes"));
    expect(ep.subsets).toMatchObject([{ addresses: [{ ip: "127.0.0.1" }] }]);
  });
});
