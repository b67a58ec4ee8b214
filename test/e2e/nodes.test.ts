// Simulated nodes end to end: the real CLI and kubectl against `berth cluster up --nodes 2`:
// Ready nodes with zones, `berth cluster nodes add / remove / list`, leases renewing in
// kube-node-lease, a pod bound to a node running with an IP, bad input, and the node set
// surviving a restart.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth } from "../helpers/cli.js";
import { KUBECTL, runProcess } from "../helpers/cluster.js";

let dataDir: string;
let kubeconfig: string;

async function up(): Promise<string> {
  const r = await runBerth(["cluster", "up", "--detach", "--data-dir", dataDir, "--port", "0", "--nodes", "2"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  kubeconfig = /export KUBECONFIG=(\S+)/.exec(r.stdout)?.[1] ?? "";
  return r.stdout;
}

async function kubectl(args: string[]): Promise<string> {
  const r = await runProcess(KUBECTL, ["--kubeconfig", kubeconfig, "--cache-dir", path.join(dataDir, "kubectl-cache"), ...args]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "berth-nodes-"));
  const out = await up();
  expect(out).toContain("node/berth-node-1 registered (zone-a");
  expect(out).toContain("node/berth-node-2 registered (zone-b");
}, 60_000);

afterAll(async () => {
  await runBerth(["cluster", "down", "--data-dir", dataDir]);
  await rm(dataDir, { recursive: true, force: true });
});

describe("berth cluster nodes", () => {
  it("registers 2 Ready nodes with zones", async () => {
    await waitFor(async () => (await kubectl(["get", "nodes", "--no-headers"])).split("\n").filter((l) => / Ready /.test(l)).length === 2);
    const zones = await kubectl(["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.topology\\.kubernetes\\.io/zone} {end}"]);
    expect(zones.trim()).toBe("berth-node-1=zone-a berth-node-2=zone-b");
    const allocatable = JSON.parse(await kubectl(["get", "node", "berth-node-1", "-o", "jsonpath={.status.allocatable}"]));
    expect(allocatable).toMatchObject({ cpu: "4", memory: "8Gi", pods: "110" });
  });

  it("renews leases in kube-node-lease", async () => {
    const renew = async () => Date.parse(await kubectl(["get", "lease", "-n", "kube-node-lease", "berth-node-1", "-o", "jsonpath={.spec.renewTime}"]));
    const first = await renew();
    await waitFor(async () => (await renew()) > first, 25_000);
  }, 30_000);

  it("adds, lists and removes nodes", async () => {
    const added = await runBerth(["cluster", "nodes", "add", "big", "--cpu", "16", "--memory", "64Gi", "--labels", "tier=gold,disk=ssd", "--data-dir", dataDir]);
    expect(added.stderr).toBe("");
    expect(added.stdout).toContain("node/big added (zone-c, cpu 16, memory 64Gi)");
    await waitFor(async () => / Ready /.test(await kubectl(["get", "node", "big", "--no-headers"])));
    expect(await kubectl(["get", "nodes", "-l", "tier=gold", "-o", "name"])).toBe("node/big\n");
    const list = await runBerth(["cluster", "nodes", "list", "--data-dir", dataDir]);
    expect(list.stdout.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+ZONE\s+CPU\s+MEMORY\s+PODS\s+AGE$/);
    expect(list.stdout).toMatch(/big\s+Ready\s+zone-c\s+16\s+64Gi\s+110\s+\d+s/);
    const json = JSON.parse((await runBerth(["cluster", "nodes", "list", "-o", "json", "--data-dir", dataDir])).stdout);
    expect(json.map((n: { name: string }) => n.name)).toEqual(["berth-node-1", "berth-node-2", "big"]);
    const removed = await runBerth(["cluster", "nodes", "remove", "big", "--data-dir", dataDir]);
    expect(removed.stdout).toBe("node/big removed\n");
    expect(await kubectl(["get", "nodes", "-o", "name"])).toBe("node/berth-node-1\nnode/berth-node-2\n");
  });

  it("rejects bad input with one line and exit 1", async () => {
    const cases: [string[], RegExp][] = [
      [["cluster", "nodes", "add", "Bad_Name"], /^Error: invalid node name "Bad_Name"/],
      [["cluster", "nodes", "add", "--cpu", "lots"], /^Error: --cpu: invalid quantity "lots"/],
      [["cluster", "nodes", "add", "--memory", "8GB"], /^Error: --memory: invalid quantity "8GB"/],
      [["cluster", "nodes", "add", "--labels", "novalue"], /^Error: --labels: expected KEY=VALUE/],
      [["cluster", "nodes", "remove", "ghost"], /^Error: node "ghost" not found/],
      [["cluster", "nodes", "add", "berth-node-1"], /^Error: node "berth-node-1" already exists/],
    ];
    for (const [args, message] of cases) {
      const r = await runBerth([...args, "--data-dir", dataDir]);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const up = await runBerth(["cluster", "up", "--nodes", "many", "--data-dir", dataDir]);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/^Error: --nodes: expected an integer/);
  });

  it("runs a pod bound to a node with an IP, and the node set survives a restart", async () => {
    await kubectl(["run", "web", "--image=nginx", "--overrides", JSON.stringify({ spec: { nodeName: "berth-node-2" } })]);
    await waitFor(async () => (await kubectl(["get", "pod", "web", "-o", "jsonpath={.status.phase}"])) === "Running");
    expect(await kubectl(["get", "pod", "web", "-o", "jsonpath={.status.podIP}"])).toMatch(/^10\.244\.2\.\d+$/);
    await runBerth(["cluster", "nodes", "add", "extra", "--data-dir", dataDir]);
    await runBerth(["cluster", "down", "--data-dir", dataDir]);
    await up();
    expect(await kubectl(["get", "nodes", "-o", "name"])).toBe("node/berth-node-1\nnode/berth-node-2\nnode/extra\n");
    await waitFor(async () => (await kubectl(["get", "nodes", "--no-headers"])).split("\n").filter((l) => / Ready /.test(l)).length === 3);
    await kubectl(["delete", "pod", "web", "--wait=true"]);
  }, 60_000);
});
