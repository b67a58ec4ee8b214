// Workloads end to end with the real kubectl and CLI against `berth cluster up` (3 simulated
// nodes): Jobs complete or stop at their backoffLimit, a CronJob's template runs through
// `kubectl create job --from`, an unschedulable pod says why, a DaemonSet follows nodes,
// removing a node moves a Deployment's pods, a node whose kubelet goes silent has its pods
// evicted and replaced, and a restart converges without duplicates.
// Tests run in order and share one cluster: the node-set changes come after the test that
// counts nodes. Eventual states are polled with a bounded deadline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth } from "../helpers/cli.js";
import { startTestCluster, waitFor, type TestCluster } from "../helpers/cluster.js";
import { jobYaml } from "./manifests.js";

let c: TestCluster;
const N = ["-n", "work"];

beforeAll(async () => {
  c = await startTestCluster({ namespace: "work" });
}, 60_000);
afterAll(async () => {
  await c.stop();
});

const apply = (yaml: string): Promise<string> => c.kubectlOk([...N, "apply", "-f", "-"], { input: yaml });

interface PodRow {
  name: string;
  node: string;
  phase: string;
  deleting: boolean;
}

async function pods(selector: string): Promise<PodRow[]> {
  const out = await c.kubectlOk([...N, "get", "pods", "-l", selector, "-o", "json"]);
  const list: { items: { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status?: { phase?: string } }[] } = JSON.parse(out);
  return list.items.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName ?? "", phase: p.status?.phase ?? "", deleting: p.metadata.deletionTimestamp !== undefined }));
}

const running = async (selector: string): Promise<PodRow[]> => (await pods(selector)).filter((p) => p.phase === "Running" && !p.deleting);

function job(name: string, o: { annotations?: Record<string, string>; backoffLimit?: number } = {}): string {
  return jobYaml(name, { spec: `backoffLimit: ${o.backoffLimit ?? 6}`, annotations: o.annotations });
}

function deployment(name: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: main, image: nginx }] }
`;
}

describe("batch", () => {
  it("a Job completes", async () => {
    await apply(job("hello", { annotations: { "berth.dev/sim-duration": "500ms" } }));
    await c.kubectlOk([...N, "wait", "--for=condition=complete", "job/hello", "--timeout=60s"], { timeoutMs: 70_000 });
    expect(await c.kubectlOk([...N, "get", "job", "hello", "-o", "jsonpath={.status.succeeded}"])).toBe("1");
  }, 80_000);

  it("a failing Job stops at its backoffLimit with BackoffLimitExceeded", async () => {
    await apply(job("broken", { backoffLimit: 1, annotations: { "berth.dev/sim-duration": "100ms", "berth.dev/sim-exit-code": "3" } }));
    await c.kubectlOk([...N, "wait", "--for=condition=failed", "job/broken", "--timeout=90s"], { timeoutMs: 100_000 });
    const reason = await c.kubectlOk([...N, "get", "job", "broken", "-o", 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}']);
    expect(reason).toBe("BackoffLimitExceeded");
    // backoffLimit 1: the first pod and one retry, no more.
    const failed = (await pods("batch.kubernetes.io/job-name=broken")).filter((p) => p.phase === "Failed");
    expect(failed).toHaveLength(2);
  }, 110_000);

  it("a CronJob's template runs on demand (kubectl create job --from)", async () => {
    // A schedule that will not fire during the test; firing on schedule is covered on a FakeClock.
    await apply(`apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  schedule: "0 3 1 1 *"
  jobTemplate:
    spec:
      template:
        metadata: { annotations: { berth.dev/sim-duration: 200ms } }
        spec: { restartPolicy: OnFailure, containers: [{ name: main, image: busybox }] }
`);
    await c.kubectlOk([...N, "create", "job", "nightly-manual", "--from=cronjob/nightly"]);
    await c.kubectlOk([...N, "wait", "--for=condition=complete", "job/nightly-manual", "--timeout=60s"], { timeoutMs: 70_000 });
    const owner = await c.kubectlOk([...N, "get", "job", "nightly-manual", "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"]);
    expect(owner).toBe("CronJob/nightly");
  }, 80_000);
});

describe("scheduling", () => {
  it("an unschedulable pod explains why", async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: { name: picky }
spec:
  nodeSelector: { disktype: nvme }
  containers: [{ name: main, image: nginx }]
`);
    const condition = 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}';
    await waitFor("PodScheduled=False", async () => (await c.kubectlOk([...N, "get", "pod", "picky", "-o", condition])) === "False");
    const described = await waitFor("the FailedScheduling event", async () => {
      const out = await c.kubectlOk([...N, "describe", "pod", "picky"]);
      return out.includes("FailedScheduling") && out;
    });
    expect(described).toContain("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector");
    await c.kubectlOk([...N, "delete", "pod", "picky", "--wait=false"]);
  }, 70_000);
});

describe("nodes", () => {
  it("a DaemonSet follows nodes joining and leaving", async () => {
    await apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec: { containers: [{ name: main, image: busybox }] }
`);
    await waitFor("3 agents", async () => (await running("app=agent")).length === 3);
    const added = await runBerth(["cluster", "nodes", "add", "extra", "--data-dir", c.dataDir]);
    expect(added.code).toBe(0);
    await waitFor("an agent on the new node", async () => (await running("app=agent")).some((p) => p.node === "extra"));
    const removed = await runBerth(["cluster", "nodes", "remove", "extra", "--data-dir", c.dataDir]);
    expect(removed.code).toBe(0);
    await waitFor("the agent of the removed node gone", async () => {
      const all = await pods("app=agent");
      return all.length === 3 && all.every((p) => p.node !== "extra");
    });
  }, 90_000);

  it("removing a node moves a Deployment's pods to the other nodes", async () => {
    await apply(deployment("mover", 6));
    const before = await waitFor("6 running", async () => {
      const r = await running("app=mover");
      return r.length === 6 && r;
    });
    const victim = before[0].node;
    const removed = await runBerth(["cluster", "nodes", "remove", victim, "--data-dir", c.dataDir]);
    expect(removed.code).toBe(0);
    const after = await waitFor("6 running elsewhere", async () => {
      const all = await pods("app=mover");
      const r = all.filter((p) => p.phase === "Running" && !p.deleting);
      return all.length === 6 && r.length === 6 && r.every((p) => p.node !== victim) && r;
    });
    // The pods that were elsewhere stayed; only the victim's were replaced.
    const kept = before.filter((p) => p.node !== victim).map((p) => p.name);
    expect(after.map((p) => p.name)).toEqual(expect.arrayContaining(kept));
  }, 90_000);
});

describe("node lifecycle", () => {
  it("a node whose kubelet goes silent turns Unknown, is tainted, and its pods are evicted and replaced", async () => {
    await apply(`apiVersion: apps/v1
kind: Deployment
metadata: { name: survivor }
spec:
  replicas: 4
  selector: { matchLabels: { app: survivor } }
  template:
    metadata: { labels: { app: survivor } }
    spec:
      tolerations: [{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1 }]
      containers: [{ name: main, image: nginx }]
`);
    const before = await waitFor("4 running", async () => {
      const r = await running("app=survivor");
      return r.length === 4 && r;
    });
    const victim = before[0].node;
    await c.kubectlOk(["annotate", "node", victim, "berth.dev/sim-kubelet-stopped=true"]);
    // The lease goes stale after the 40 s grace period: Unknown, then the NoExecute taint.
    const health = () => c.kubectlOk(["get", "node", victim, "-o", 'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.spec.taints[*].key}:{.spec.taints[*].effect}']);
    await waitFor("Unknown and tainted", async () => /^Unknown .*node\.kubernetes\.io\/unreachable.*NoExecute/.test(await health()), 90_000);
    await waitFor("4 running elsewhere", async () => {
      const r = await running("app=survivor");
      return r.length === 4 && r.every((p) => p.node !== victim);
    });
    // Back again: Ready, untainted, and the evicted pods it held are finished.
    await c.kubectlOk(["annotate", "node", victim, "berth.dev/sim-kubelet-stopped-"]);
    await waitFor("Ready again", async () => (await health()) === "True :");
    await waitFor("evicted pods gone", async () => (await pods("app=survivor")).length === 4);
  }, 150_000);
});

describe("restart", () => {
  it("controllers converge after the cluster process restarts, without duplicates", async () => {
    await apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web }
spec:
  serviceName: web
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: main, image: nginx }] }
`);
    await waitFor("web-0..2 running", async () => (await running("app=web")).length === 3);
    await waitFor("mover settled", async () => (await pods("app=mover")).length === 6);
    const names = async (selector: string) => (await pods(selector)).map((p) => p.name).sort();
    const replicaSets = () => c.kubectlOk([...N, "get", "rs", "-l", "app=mover", "-o", "name"]);
    const jobs = () => c.kubectlOk([...N, "get", "jobs", "-o", "name"]);
    const before = { web: await names("app=web"), mover: await names("app=mover"), rs: await replicaSets(), jobs: await jobs() };
    expect(before.web).toEqual(["web-0", "web-1", "web-2"]);

    await c.down();
    await c.up();
    // A Job created after the restart completing shows the controllers and nodes are live.
    await apply(job("after-restart", { annotations: { "berth.dev/sim-duration": "200ms" } }));
    await c.kubectlOk([...N, "wait", "--for=condition=complete", "job/after-restart", "--timeout=60s"], { timeoutMs: 70_000 });
    await waitFor("web running again", async () => (await running("app=web")).length === 3);
    expect(await names("app=web")).toEqual(before.web);
    expect(await names("app=mover")).toEqual(before.mover);
    expect(await replicaSets()).toBe(before.rs);
    expect((await jobs()).split("\n").filter(Boolean).sort()).toEqual([...before.jobs.split("\n").filter(Boolean), "job.batch/after-restart"].sort());
  }, 150_000);
});
