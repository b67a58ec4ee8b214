import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allocateClusterIP, allocateNodePort, parseCidr, usageOf } from "../../../../orchestrator/apiserver/admission/serviceAlloc.js";
import { pod, startHarness, type Harness } from "../../apiserver/fixture.js";

const cidr = parseCidr("10.96.0.0/16");

describe("allocateClusterIP", () => {
  const table: { name: string; used?: string[]; requested?: string; kubernetes?: boolean; want: string | RegExp }[] = [
    { name: "lowest free skips .0 and .1", want: "10.96.0.2" },
    { name: "skips used", used: ["10.96.0.2", "10.96.0.3"], want: "10.96.0.4" },
    { name: "kubernetes gets .1", kubernetes: true, want: "10.96.0.1" },
    { name: "requested free", requested: "10.96.3.7", want: "10.96.3.7" },
    { name: "requested taken", used: ["10.96.3.7"], requested: "10.96.3.7", want: /already allocated/ },
    { name: "requested .1 by others", requested: "10.96.0.1", want: /already allocated/ },
    { name: "out of range", requested: "10.0.0.1", want: /not in the valid range. The range of valid IPs is 10.96.0.0\/16/ },
    { name: "broadcast", requested: "10.96.255.255", want: /not in the valid range/ },
    { name: "not an IP", requested: "banana", want: /valid IP/ },
  ];
  for (const c of table) {
    it(c.name, () => {
      const r = allocateClusterIP({ cidr, used: new Set(c.used ?? []), requested: c.requested, kubernetesService: c.kubernetes ?? false });
      if (typeof c.want === "string") expect(r).toEqual({ ok: true, value: c.want });
      else expect(r.ok ? "" : r.message).toMatch(c.want);
    });
  }
  it("reports a full range", () => {
    const small = parseCidr("10.0.0.0/30");
    expect(allocateClusterIP({ cidr: small, used: new Set(["10.0.0.2"]), kubernetesService: false }).ok).toBe(false);
  });
});

describe("allocateNodePort", () => {
  const table: { used?: number[]; requested?: number; want: number | RegExp }[] = [
    { want: 30000 },
    { used: [30000, 30001], want: 30002 },
    { requested: 31000, want: 31000 },
    { requested: 31000, used: [31000], want: /already allocated/ },
    { requested: 80, want: /valid range. The range of valid ports is 30000-32767/ },
  ];
  for (const c of table) {
    it(JSON.stringify(c), () => {
      const r = allocateNodePort({ used: new Set(c.used ?? []), requested: c.requested });
      if (typeof c.want === "number") expect(r).toEqual({ ok: true, value: c.want });
      else expect(r.ok ? "" : r.message).toMatch(c.want);
    });
  }
});

describe("usageOf", () => {
  it("collects IPs and node ports of other services", () => {
    const svc = (name: string, ip: string, nodePort?: number) => ({ metadata: { namespace: "default", name }, spec: { clusterIP: ip, clusterIPs: [ip], ports: [{ port: 80, nodePort }] } });
    const u = usageOf([svc("a", "10.96.0.2", 30001), svc("b", "None"), svc("c", "10.96.0.3")], "default/c");
    expect([...u.ips]).toEqual(["10.96.0.2"]);
    expect([...u.nodePorts]).toEqual([30001]);
  });
});

function service(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

describe("API server Service allocation", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const create = (body: Record<string, unknown>) => h.request("POST", "/api/v1/namespaces/default/services", { body });
  const specOf = (json: Record<string, unknown>) => json.spec as Record<string, unknown>;

  it("gives each Service its own cluster IP, concurrently", async () => {
    const results = await Promise.all(["a", "b", "c", "d"].map((n) => create(service(n))));
    const ips = results.map((r) => specOf(r.json).clusterIP);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(ips).size).toBe(4);
    for (const r of results) expect(specOf(r.json).clusterIPs).toEqual([specOf(r.json).clusterIP]);
  });

  it("keeps headless Services headless", async () => {
    const r = await create(service("h", { clusterIP: "None" }));
    expect(specOf(r.json)).toMatchObject({ clusterIP: "None", clusterIPs: ["None"] });
  });

  it("rejects a taken IP and frees it on delete", async () => {
    expect((await create(service("a", { clusterIP: "10.96.1.1" }))).status).toBe(201);
    const taken = await create(service("b", { clusterIP: "10.96.1.1" }));
    expect(taken.status).toBe(422);
    expect(taken.json).toMatchObject({ reason: "Invalid", details: { causes: [{ field: "spec.clusterIPs" }] } });
    expect(taken.json.message).toMatch(/provided IP is already allocated/);
    expect((await h.request("DELETE", "/api/v1/namespaces/default/services/a")).status).toBe(200);
    expect((await create(service("b", { clusterIP: "10.96.1.1" }))).status).toBe(201);
  });

  it("allocates node ports, honours requests and rejects duplicates", async () => {
    const a = await create(service("a", { type: "NodePort", ports: [{ name: "http", port: 80 }, { name: "https", port: 443, nodePort: 30443 }] }));
    expect(a.status).toBe(201);
    const ports = specOf(a.json).ports as { nodePort: number }[];
    expect(ports.map((p) => p.nodePort)).toEqual([30000, 30443]);
    const dup = await create(service("b", { type: "NodePort", ports: [{ port: 80, nodePort: 30443 }] }));
    expect(dup.status).toBe(422);
    expect(dup.json).toMatchObject({ details: { causes: [{ field: "spec.ports[0].nodePort" }] } });
    const range = await create(service("c", { type: "NodePort", ports: [{ port: 80, nodePort: 80 }] }));
    expect(range.status).toBe(422);
  });

  it("keeps the IP and node ports across a PUT that omits them, and refuses to change the IP", async () => {
    const a = await create(service("a", { type: "NodePort" }));
    const { clusterIP } = specOf(a.json);
    const nodePort = (specOf(a.json).ports as { nodePort: number }[])[0].nodePort;
    const put = await h.request("PUT", "/api/v1/namespaces/default/services/a", { body: service("a", { type: "NodePort" }) });
    expect(put.status).toBe(200);
    expect(specOf(put.json).clusterIP).toBe(clusterIP);
    expect((specOf(put.json).ports as { nodePort: number }[])[0].nodePort).toBe(nodePort);
    const change = await h.request("PUT", "/api/v1/namespaces/default/services/a", { body: service("a", { clusterIP: "10.96.9.9" }) });
    expect(change.status).toBe(422);
    const toClusterIP = await h.request("PUT", "/api/v1/namespaces/default/services/a", { body: service("a") });
    expect((specOf(toClusterIP.json).ports as { nodePort?: number }[])[0].nodePort).toBeUndefined();
  });

  it("survives a restart: allocation state comes from the stored Services", async () => {
    await create(service("a"));
    const second = await startHarnessOnStore(h);
    const r = await second.request("POST", "/api/v1/namespaces/default/services", { body: service("b") });
    expect(specOf(r.json).clusterIP).toBe("10.96.0.3");
  });

  it("generates the Job selector from its uid and adds default tolerations to pods", async () => {
    const job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "pi" },
      spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
    };
    const r = await h.request("POST", "/apis/batch/v1/namespaces/default/jobs", { body: job });
    const uid = (r.json.metadata as { uid: string }).uid;
    expect(specOf(r.json).selector).toEqual({ matchLabels: { "batch.kubernetes.io/controller-uid": uid } });
    expect((specOf(r.json).template as { metadata: { labels: Record<string, string> } }).metadata.labels).toEqual({
      "batch.kubernetes.io/controller-uid": uid,
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": uid,
      "job-name": "pi",
    });
    const p = await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("p") });
    expect(specOf(p.json).tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
  });
});

/** A second API server on the first one's store, as after a restart. */
async function startHarnessOnStore(h: Harness): Promise<Pick<Harness, "request">> {
  const { createApiServer } = await import("../../../../orchestrator/apiserver/server.js");
  const server = await createApiServer({ store: h.store, clock: h.clock });
  return {
    async request(method, url, o = {}) {
      const res = await server.app.inject({ method, url, payload: JSON.stringify(o.body), headers: { "content-type": "application/json" } });
      await server.close();
      return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown>, text: res.body, headers: res.headers };
    },
  };
}
