// ServiceAccount admission on a real API server (fastify.inject) with a FakeClock: the alias
// table, defaulting to `default`, Kubernetes' 403 for a missing account, the short wait for
// `default` (which its controller makes right after the namespace), and what it leaves alone
// (updates, mirror pods).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../../core/clock.js";
import { mirrorServiceAccount, serviceAccountAdmission } from "../../../../orchestrator/apiserver/admission/serviceAccount.js";
import { mountTokenVolume, shouldAutomount, TOKEN_MOUNT_PATH, tokenVolume } from "../../../../orchestrator/apiserver/admission/tokenVolume.js";
import { createApiServer, type ApiServer } from "../../../../orchestrator/apiserver/server.js";
import { openEmbeddedStore } from "../../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../../orchestrator/store/types.js";

describe("mirrorServiceAccount", () => {
  const table: { name: string; spec: Record<string, unknown>; want: string }[] = [
    { name: "neither: the fallback", spec: {}, want: "default" },
    { name: "empty strings: the fallback", spec: { serviceAccountName: "", serviceAccount: "" }, want: "default" },
    { name: "only the deprecated alias", spec: { serviceAccount: "old" }, want: "old" },
    { name: "only the name", spec: { serviceAccountName: "new" }, want: "new" },
    { name: "both: the name wins", spec: { serviceAccountName: "new", serviceAccount: "old" }, want: "new" },
  ];
  for (const c of table) {
    it(c.name, () => {
      const pod = { spec: { ...c.spec } };
      expect(mirrorServiceAccount(pod, "default")).toBe(c.want);
      expect(pod.spec).toMatchObject({ serviceAccountName: c.want, serviceAccount: c.want });
    });
  }
  it("leaves a pod with neither alone when there is no fallback", () => {
    const pod = { spec: {} };
    expect(mirrorServiceAccount(pod, undefined)).toBeUndefined();
    expect(pod.spec).toEqual({});
  });
});

describe("shouldAutomount", () => {
  const table: { pod?: boolean; account?: boolean; want: boolean }[] = [
    { want: true },
    { account: false, want: false },
    { account: true, want: true },
    { pod: false, want: false },
    { pod: true, account: false, want: true },
    { pod: false, account: true, want: false },
  ];
  for (const c of table) {
    it(`pod ${String(c.pod)}, account ${String(c.account)} → ${String(c.want)}`, () => {
      const pod = { spec: c.pod === undefined ? {} : { automountServiceAccountToken: c.pod } };
      const account = c.account === undefined ? {} : { automountServiceAccountToken: c.account };
      expect(shouldAutomount(pod, account)).toBe(c.want);
    });
  }
});

describe("mountTokenVolume", () => {
  const mount = (name: string) => ({ name, readOnly: true, mountPath: TOKEN_MOUNT_PATH });
  const own = { name: "mine", mountPath: TOKEN_MOUNT_PATH };

  it("mounts one new volume into every init and app container, after the pod's own volumes", () => {
    const pod = { spec: { initContainers: [{ name: "i" }], containers: [{ name: "a", volumeMounts: [{ name: "data", mountPath: "/data" }] }, { name: "b" }], volumes: [{ name: "data", emptyDir: {} }] } };
    mountTokenVolume(pod);
    const volumes = pod.spec.volumes as { name: string }[];
    expect(volumes).toHaveLength(2);
    const name = volumes[1].name;
    expect(name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(volumes[1]).toEqual(tokenVolume(name));
    expect(pod.spec.initContainers).toEqual([{ name: "i", volumeMounts: [mount(name)] }]);
    expect(pod.spec.containers).toEqual([{ name: "a", volumeMounts: [{ name: "data", mountPath: "/data" }, mount(name)] }, { name: "b", volumeMounts: [mount(name)] }]);
  });

  it("skips containers that mount something at the token path, and adds no volume when none needs it", () => {
    const pod = { spec: { containers: [{ name: "a", volumeMounts: [own] }], volumes: [{ name: "mine", secret: { secretName: "s" } }] } };
    mountTokenVolume(pod);
    expect(pod.spec).toEqual({ containers: [{ name: "a", volumeMounts: [own] }], volumes: [{ name: "mine", secret: { secretName: "s" } }] });
    const mixed = { spec: { containers: [{ name: "a", volumeMounts: [own] }, { name: "b" }] } };
    mountTokenVolume(mixed);
    expect(mixed.spec.containers[0]).toEqual({ name: "a", volumeMounts: [own] });
    expect(mixed.spec.containers[1].volumeMounts).toHaveLength(1);
  });

  it("reuses a kube-api-access volume the pod already has", () => {
    const pod = { spec: { containers: [{ name: "a" }], volumes: [{ name: "kube-api-access-abcde", projected: { sources: [] } }] } };
    mountTokenVolume(pod);
    expect(pod.spec.volumes).toEqual([{ name: "kube-api-access-abcde", projected: { sources: [] } }]);
    expect(pod.spec.containers).toEqual([{ name: "a", volumeMounts: [mount("kube-api-access-abcde")] }]);
  });
});

describe("ServiceAccount admission", () => {
  let store: Store;
  let server: ApiServer;
  let clock: FakeClock;

  beforeEach(async () => {
    store = await openEmbeddedStore();
    clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
    server = await createApiServer({ store, clock, admission: [serviceAccountAdmission({ defaultAttempts: 5, retryIntervalMs: 100 })] });
  });
  afterEach(async () => {
    await server.close();
    await store.close();
  });

  const request = async (method: "POST" | "PUT" | "DELETE", url: string, body?: unknown) => {
    const res = await server.app.inject({ method, url, headers: body === undefined ? {} : { "content-type": "application/json" }, payload: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
  };
  const pod = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...metadata },
    spec: { containers: [{ name: "c", image: "nginx" }], ...spec },
  });
  const createPod = (body: unknown) => request("POST", "/api/v1/namespaces/default/pods", body);
  const createAccount = (name: string) => request("POST", "/api/v1/namespaces/default/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name } });

  /** Runs a request that waits on the fake clock, advancing it until the request answers. */
  async function whileAdvancing<T>(pending: Promise<T>, onTick?: (tick: number) => Promise<void>): Promise<T> {
    let done = false;
    void pending.finally(() => (done = true));
    for (let tick = 0; tick < 100 && !done; tick++) {
      await new Promise((r) => setTimeout(r, 5));
      await onTick?.(tick);
      clock.advance(100);
    }
    return pending;
  }

  it("runs a pod that names no account as default, both fields set", async () => {
    expect((await createAccount("default")).status).toBe(201);
    const res = await createPod(pod("web"));
    expect(res.status).toBe(201);
    expect(res.json.spec).toMatchObject({ serviceAccountName: "default", serviceAccount: "default" });
  });

  it("mounts the API-access volume unless the pod or its account opts out", async () => {
    await createAccount("default");
    const plain = await createPod(pod("plain"));
    const spec = plain.json.spec as { volumes: { name: string }[]; containers: { volumeMounts: unknown[] }[] };
    expect(spec.volumes).toEqual([tokenVolume(spec.volumes[0].name)]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: spec.volumes[0].name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }]);
    const optOut = await createPod(pod("opt-out", { automountServiceAccountToken: false }));
    expect(optOut.json.spec).not.toHaveProperty("volumes");
    await request("POST", "/api/v1/namespaces/default/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "quiet" }, automountServiceAccountToken: false });
    const quiet = await createPod(pod("quiet", { serviceAccountName: "quiet" }));
    expect(quiet.json.spec).not.toHaveProperty("volumes");
    const optIn = await createPod(pod("opt-in", { serviceAccountName: "quiet", automountServiceAccountToken: true }));
    expect((optIn.json.spec as { volumes: unknown[] }).volumes).toHaveLength(1);
  });

  it("takes the deprecated serviceAccount field as the account", async () => {
    await createAccount("robot");
    const res = await createPod(pod("web", { serviceAccount: "robot" }));
    expect(res.status).toBe(201);
    expect(res.json.spec).toMatchObject({ serviceAccountName: "robot", serviceAccount: "robot" });
  });

  it("refuses a pod whose account does not exist, as Kubernetes words it", async () => {
    const res = await createPod(pod("web", { serviceAccountName: "robot" }));
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({
      kind: "Status",
      reason: "Forbidden",
      code: 403,
      message: 'pods "web" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    });
  });

  it("waits a little for the default account, then refuses", async () => {
    const res = await whileAdvancing(createPod(pod("web")));
    expect(res.status).toBe(403);
    expect(res.json.message).toBe('pods "web" is forbidden: error looking up service account default/default: serviceaccount "default" not found');
  });

  it("admits the pod when the default account appears while it waits", async () => {
    const res = await whileAdvancing(createPod(pod("web")), async (tick) => {
      if (tick === 2) expect((await createAccount("default")).status).toBe(201);
    });
    expect(res.status).toBe(201);
    expect(res.json.spec).toMatchObject({ serviceAccountName: "default" });
  });

  it("leaves updates alone: a pod whose account is gone can still be changed", async () => {
    await createAccount("robot");
    const created = await createPod(pod("web", { serviceAccountName: "robot" }));
    expect((await request("DELETE", "/api/v1/namespaces/default/serviceaccounts/robot")).status).toBe(200);
    const metadata = { ...(created.json.metadata as Record<string, unknown>), labels: { tier: "web" } };
    const updated = await request("PUT", "/api/v1/namespaces/default/pods/web", { ...created.json, metadata });
    expect(updated.status).toBe(200);
    expect(updated.json.spec).toMatchObject({ serviceAccountName: "robot", serviceAccount: "robot" });
  });

  it("leaves mirror pods alone", async () => {
    const res = await createPod(pod("static-web", {}, { annotations: { "kubernetes.io/config.mirror": "hash" } }));
    expect(res.status).toBe(201);
    expect(res.json.spec).not.toHaveProperty("serviceAccountName");
  });

  it("applies to pods only", async () => {
    const res = await request("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
    expect(res.status).toBe(201);
  });
});
