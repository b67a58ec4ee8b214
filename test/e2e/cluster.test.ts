// `berth cluster up / down` as a user runs them: detach, readiness, errors, durability.
import { createServer, type Server } from "node:net";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { expectCleanFailure, runBerth } from "../helpers/cli.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";

describe("berth cluster up / down", () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it("writes a kubeconfig with a berth context pointing at the server", async () => {
    expect(cluster.kubeconfig).toBe(path.join(cluster.dataDir, "kubeconfig"));
    const config = parse(await readFile(cluster.kubeconfig, "utf8")) as { "current-context": string; clusters: Array<{ name: string; cluster: { server: string } }> };
    expect(config["current-context"]).toBe("berth");
    expect(config.clusters[0]).toMatchObject({ name: "berth", cluster: { server: cluster.url } });
    expect(cluster.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ready = await cluster.fetch("/readyz", { anonymous: true });
    expect(ready.status).toBe(200);
  });

  it("refuses a second cluster on the same data dir", async () => {
    const r = await runBerth(["cluster", "up", "--detach", "--data-dir", cluster.dataDir, "--port", "0"]);
    expectCleanFailure(r);
    expect(r.stderr).toContain(`data directory ${cluster.dataDir} is in use by a running cluster`);
  });

  it("keeps every object across down and up", async () => {
    await cluster.kubectlOk(["apply", "-f", "-"], { input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: durable\ndata:\n  k: v\n" });
    const before = await cluster.kubectlOk(["get", "configmap", "durable", "-o", "jsonpath={.metadata.resourceVersion}/{.data.k}"]);
    await cluster.down();
    expect(await cluster.fetch("/readyz", { anonymous: true }).then(() => "up", () => "down")).toBe("down");
    await cluster.up();
    const after = await cluster.kubectlOk(["get", "configmap", "durable", "-o", "jsonpath={.metadata.resourceVersion}/{.data.k}"]);
    expect(after).toBe(before);
  });
});

describe("berth cluster errors", () => {
  let dir: string;
  let blocker: Server;
  let takenPort: number;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "berth-cluster-err-"));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const addr = blocker.address();
    takenPort = typeof addr === "object" && addr ? addr.port : 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [["--port", "http"], '--port: expected an integer from 0 to 65535, got "http"'],
    [["--port", "70000"], "--port: expected an integer from 0 to 65535, got 70000"],
    [["--store", "redis"], '--store: expected embedded or etcd, got "redis"'],
    [["--store", "etcd"], "--store etcd needs --etcd-endpoints"],
  ])("cluster up %j fails with one line", async (args, message) => {
    const r = await runBerth(["cluster", "up", "--data-dir", dir, ...args]);
    expectCleanFailure(r);
    expect(r.stderr).toContain(message);
  });

  it("reports a taken port in one line", async () => {
    const r = await runBerth(["cluster", "up", "--detach", "--data-dir", dir, "--port", String(takenPort)]);
    expectCleanFailure(r);
    expect(r.stderr).toContain(`port ${takenPort} on 127.0.0.1 is already in use`);
  });

  it("reports an unreachable etcd in one line", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const addr = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const port = typeof addr === "object" && addr ? addr.port : 1;
    const r = await runBerth(["cluster", "up", "--data-dir", dir, "--port", "0", "--store", "etcd", "--etcd-endpoints", `http://127.0.0.1:${port}`], { timeoutMs: 30_000 });
    expectCleanFailure(r);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
  });

  it("down without a running cluster says so", async () => {
    const r = await runBerth(["cluster", "down", "--data-dir", dir]);
    expectCleanFailure(r);
    expect(r.stderr).toContain(`no cluster is running with data directory ${dir}`);
  });
});
