import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeError } from "../../../core/errors.js";
import { createKubeClient, type KubeClient } from "../../../kube/client/index.js";
import { closedPort, kubeconfigYaml, startFaultProxy, startKube, type FaultProxy, type KubeFixture } from "../fixture.js";

let kube: KubeFixture;
let proxy: FaultProxy;
let client: KubeClient;
let dir = "";

beforeAll(async () => {
  kube = await startKube();
  proxy = await startFaultProxy(kube.url);
  dir = await mkdtemp(path.join(os.tmpdir(), "berth-retry-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(kubeconfig, kubeconfigYaml([{ name: "proxied", server: proxy.url }], "proxied"));
  client = createKubeClient({ kubeconfig, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
  await client.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "target" }, data: { a: "1" } });
});
afterAll(async () => {
  await proxy.close();
  await kube.close();
  await rm(dir, { recursive: true, force: true });
});

const REF = { apiVersion: "v1", kind: "ConfigMap", name: "target" };
const CREATE = (name: string) => client.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });

describe("retries", () => {
  it.each<{ name: string; reply: number | "drop"; failures: number; call: () => Promise<unknown>; retried: boolean }>([
    { name: "GET after 503s", reply: 503, failures: 2, call: () => client.get(REF), retried: true },
    { name: "GET after a dropped connection", reply: "drop", failures: 1, call: () => client.get(REF), retried: true },
    { name: "POST after 429", reply: 429, failures: 2, call: () => CREATE("after-429"), retried: true },
    { name: "apply PATCH after 500", reply: 500, failures: 1, call: () => client.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "target" }, data: { a: "2" } }, { force: true }), retried: true },
    { name: "no POST after 503", reply: 503, failures: 1, call: () => CREATE("after-503"), retried: false },
    { name: "no POST after a dropped connection", reply: "drop", failures: 1, call: () => CREATE("after-drop"), retried: false },
  ])("$name", async ({ reply, failures, call, retried }) => {
    await client.get(REF); // warm discovery so the failures hit the call itself
    proxy.failNext(failures, reply);
    const before = client.transport.requestCounts().retries;
    const outcome = await call().then(() => "ok", (e: unknown) => e);
    if (retried) {
      expect(outcome).toBe("ok");
      expect(client.transport.requestCounts().retries - before).toBe(failures);
    } else {
      expect(outcome).toBeInstanceOf(KubeError);
      expect(client.transport.requestCounts().retries - before).toBe(0);
    }
  });

  it("gives up after the last attempt with the server's message", async () => {
    proxy.failNext(10, 503);
    await expect(client.get(REF)).rejects.toThrow(/get configmaps\/target -n default: injected/);
    proxy.failNext(0, 503);
  });

  it("reports an unreachable server in one line", async () => {
    const port = await closedPort();
    const file = path.join(dir, "unreachable");
    await writeFile(file, kubeconfigYaml([{ name: "gone", server: `http://127.0.0.1:${port}` }], "gone"));
    const c = createKubeClient({ kubeconfig: file, retry: { attempts: 2, baseDelayMs: 1 } });
    const err = await c.get(REF).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(String(err)).toMatch(/cannot reach the API server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED/);
  });
});
