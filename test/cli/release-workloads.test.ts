// End to end with the built-in cluster's workload controllers: --wait on a real rollout, an
// image upgrade seen by kubectl, rollback, and `berth test` running the chart's test Pod.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runBerth, type CliResult } from "../helpers/cli.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
const HELLO = path.join(REPO_ROOT, "examples/hello");

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c.stop();
});

const berth = (args: string[]): Promise<CliResult> => runBerth(["--kubeconfig", c.kubeconfig, ...args]);

async function ok(args: string[]): Promise<CliResult> {
  const r = await berth(args);
  if (r.code !== 0) throw new Error(`berth ${args.join(" ")} failed (exit ${r.code}): ${r.stderr}`);
  return r;
}

const deployment = async () =>
  (await c.kubectlOk(["get", "deployment", "wl-hello", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.status.readyReplicas}/{.spec.replicas}"])).trim();

describe("releases with workloads", () => {
  it("install --wait returns once 3 replicas are available, reporting progress per resource", async () => {
    const r = await ok(["install", "wl", HELLO, "--wait", "--timeout", "60s", "--set", "replicaCount=3"]);
    expect(r.stderr).toContain("Deployment/wl-hello -n default: Healthy - 3 of 3 replicas available");
    expect(await deployment()).toBe("nginx:1.0.0 3/3");
  });

  it("upgrade with a new image rolls the Deployment out; rollback brings the old image back", async () => {
    await ok(["upgrade", "wl", HELLO, "--wait", "--timeout", "60s", "--reuse-values", "--set", "image.tag=1.27"]);
    expect(await deployment()).toBe("nginx:1.27 3/3");
    await ok(["rollback", "wl", "1", "--wait", "--timeout", "60s"]);
    expect(await deployment()).toBe("nginx:1.0.0 3/3");
  });

  it("berth test runs the chart's test Pod and reports it", async () => {
    const r = await ok(["test", "wl", "--timeout", "60s"]);
    expect(r.stdout).toContain("TEST SUITE:     wl\n  Pod/wl-hello-test-connection: Succeeded\n");
  });
});
