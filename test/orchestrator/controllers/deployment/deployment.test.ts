// Deployment controller against a real in-process API server, driven by the real kubectl.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKind } from "../../../../orchestrator/controllers/shared/informers.js";
import { startHarness, type Harness } from "../shared/fixture.js";

const run = promisify(execFile);
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function kubectl(args: string[], input?: string): Promise<string> {
  const child = run("/usr/bin/kubectl", ["--kubeconfig", h.kubeconfigPath, ...args], { timeout: 30_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  const { stdout } = await child;
  return stdout;
}

async function getDeployment(name: string): Promise<V1Deployment> {
  const d = await h.client.get({ apiVersion: "apps/v1", kind: "Deployment", name, namespace: "default" });
  if (!isKind(d, "Deployment")) throw new Error("not a deployment");
  return d;
}

function manifest(name: string, image: string, extra = ""): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: ${name}}}${extra}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: "${image}"}]}
`;
}

const imageOf = (p: V1Pod): string | undefined => p.spec?.containers[0]?.image;

describe("Deployment controller", () => {
  it("becomes available, rolls an image change, shows history, undoes and scales (kubectl)", async () => {
    await kubectl(["apply", "-f", "-"], manifest("web", "nginx:1.26"));
    await h.waitFor(async () => (await getDeployment("web")).status?.availableReplicas === 3, { what: "web available" });
    expect(await kubectl(["rollout", "status", "deployment/web", "--timeout=20s"])).toContain('deployment "web" successfully rolled out');
    let d = await getDeployment("web");
    expect(d.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(d.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "True", reason: "MinimumReplicasAvailable" });
    expect(d.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });

    await kubectl(["set", "image", "deployment/web", "app=nginx:1.27"]);
    await kubectl(["annotate", "deployment/web", "kubernetes.io/change-cause=bump to 1.27"]);
    await h.waitFor(async () => {
      const pods = await h.pods("app=web");
      return pods.length === 3 && pods.every((p) => imageOf(p) === "nginx:1.27") && (await getDeployment("web")).status?.updatedReplicas === 3;
    }, { what: "rolled to 1.27" });
    expect(await kubectl(["rollout", "status", "deployment/web", "--timeout=20s"])).toContain("successfully rolled out");
    const rss = await h.client.list({ apiVersion: "apps/v1", kind: "ReplicaSet" }, { namespace: "default", labelSelector: "app=web" });
    expect(rss.items).toHaveLength(2);
    const history = await kubectl(["rollout", "history", "deployment/web"]);
    expect(history).toMatch(/1\s+<none>/);
    expect(history).toMatch(/2\s+bump to 1\.27/);

    await kubectl(["rollout", "undo", "deployment/web"]);
    await h.waitFor(async () => {
      const pods = await h.pods("app=web");
      return pods.length === 3 && pods.every((p) => imageOf(p) === "nginx:1.26") && (await getDeployment("web")).status?.updatedReplicas === 3;
    }, { what: "undone to 1.26" });
    d = await getDeployment("web");
    expect(d.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(await kubectl(["rollout", "status", "deployment/web", "--timeout=20s"])).toContain("successfully rolled out");

    await kubectl(["scale", "deployment/web", "--replicas=5"]);
    await h.waitFor(async () => (await getDeployment("web")).status?.availableReplicas === 5, { what: "scaled to 5" });
    await kubectl(["scale", "deployment/web", "--replicas=2"]);
    await h.waitFor(async () => (await h.pods("app=web")).length === 2 && (await getDeployment("web")).status?.replicas === 2, { what: "scaled to 2" });
  });

  it("keeps within maxSurge and maxUnavailable while new pods are slow to become ready", async () => {
    const gate = { open: false };
    h.driver.ready = (p) => gate.open || !(p.metadata.labels?.app === "roll" && JSON.stringify(p.spec ?? {}).includes("nginx:2"));
    await kubectl(["apply", "-f", "-"], manifest("roll", "nginx:1", "\n  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"));
    await h.waitFor(async () => (await getDeployment("roll")).status?.availableReplicas === 3, { what: "roll available" });
    await kubectl(["set", "image", "deployment/roll", "app=nginx:2"]);
    await h.waitFor(async () => (await h.pods("app=roll")).length === 4, { what: "one surge pod" });
    // With the new pod never ready, the rollout holds at 3 old + 1 new.
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1000);
      await new Promise((r) => setTimeout(r, 50));
      const pods = await h.pods("app=roll");
      expect(pods.length).toBeLessThanOrEqual(4);
      expect(pods.filter((p) => imageOf(p) === "nginx:1")).toHaveLength(3);
    }
    gate.open = true;
    const stuck = (await h.pods("app=roll")).find((p) => imageOf(p) === "nginx:2");
    if (stuck) await h.client.delete({ apiVersion: "v1", kind: "Pod", name: stuck.metadata?.name ?? "", namespace: "default" });
    await h.waitFor(async () => {
      const pods = await h.pods("app=roll");
      return pods.length === 3 && pods.every((p) => imageOf(p) === "nginx:2") && (await getDeployment("roll")).status?.availableReplicas === 3;
    }, { what: "rolled to nginx:2" });
  });

  it("reports ProgressDeadlineExceeded when the new pods never become ready", async () => {
    h.driver.ready = (p) => !JSON.stringify(p.spec ?? {}).includes("never:ready");
    await kubectl(["apply", "-f", "-"], manifest("stuck", "nginx:1", "\n  progressDeadlineSeconds: 30"));
    await h.waitFor(async () => (await getDeployment("stuck")).status?.availableReplicas === 3, { what: "stuck available" });
    await kubectl(["set", "image", "deployment/stuck", "app=never:ready"]);
    const cond = await h.waitFor(async () => {
      const c = (await getDeployment("stuck")).status?.conditions?.find((x) => x.type === "Progressing");
      return c?.reason === "ProgressDeadlineExceeded" ? c : undefined;
    }, { advanceMs: 5000, what: "deadline exceeded" });
    expect(cond.status).toBe("False");
    const r = await kubectl(["rollout", "status", "deployment/stuck", "--timeout=10s"]).catch((e: { stderr?: string }) => e.stderr ?? "");
    expect(r).toContain("exceeded its progress deadline");
  });

  it("pauses and resumes", async () => {
    await kubectl(["apply", "-f", "-"], manifest("pz", "nginx:1"));
    await h.waitFor(async () => (await getDeployment("pz")).status?.availableReplicas === 3, { what: "pz available" });
    await kubectl(["rollout", "pause", "deployment/pz"]);
    await kubectl(["set", "image", "deployment/pz", "app=nginx:2"]);
    await h.waitFor(async () => (await getDeployment("pz")).status?.conditions?.some((c) => c.reason === "DeploymentPaused"), { what: "paused condition" });
    expect((await h.pods("app=pz")).every((p) => imageOf(p) === "nginx:1")).toBe(true);
    await kubectl(["rollout", "resume", "deployment/pz"]);
    await h.waitFor(async () => {
      const pods = await h.pods("app=pz");
      return pods.length === 3 && pods.every((p) => imageOf(p) === "nginx:2");
    }, { what: "resumed rollout" });
  });

  it("rollout restart replaces the pods; revisionHistoryLimit prunes old ReplicaSets", async () => {
    h.driver.ready = () => true;
    await kubectl(["apply", "-f", "-"], manifest("hist", "nginx:1", "\n  revisionHistoryLimit: 1"));
    await h.waitFor(async () => (await getDeployment("hist")).status?.availableReplicas === 3, { what: "hist available" });
    const before = (await h.pods("app=hist")).map((p) => p.metadata?.name);
    await kubectl(["rollout", "restart", "deployment/hist"]);
    await h.waitFor(async () => {
      const pods = await h.pods("app=hist");
      return pods.length === 3 && pods.every((p) => !before.includes(p.metadata?.name) && p.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"]);
    }, { what: "restarted pods" });
    await kubectl(["set", "image", "deployment/hist", "app=nginx:2"]);
    await h.waitFor(async () => {
      const d = await getDeployment("hist");
      const rss = await h.client.list({ apiVersion: "apps/v1", kind: "ReplicaSet" }, { namespace: "default", labelSelector: "app=hist" });
      return d.metadata?.annotations?.["deployment.kubernetes.io/revision"] === "3" && d.status?.updatedReplicas === 3 && d.status.availableReplicas === 3 && rss.items.length === 2;
    }, { what: "history pruned to 1 old ReplicaSet" });
  });

  it("Recreate removes every old pod before creating new ones", async () => {
    await kubectl(["apply", "-f", "-"], manifest("rec", "nginx:1", "\n  strategy: {type: Recreate}"));
    await h.waitFor(async () => (await getDeployment("rec")).status?.availableReplicas === 3, { what: "rec available" });
    await kubectl(["set", "image", "deployment/rec", "app=nginx:2"]);
    await h.waitFor(async () => {
      const pods = await h.pods("app=rec");
      const images = new Set(pods.map(imageOf));
      expect(images.size).toBeLessThanOrEqual(1);
      return pods.length === 3 && images.has("nginx:2");
    }, { what: "recreated" });
  });
});
