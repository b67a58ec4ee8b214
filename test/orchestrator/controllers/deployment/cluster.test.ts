// End to end: `berth cluster up` (simulated nodes, scheduler, controllers) driven by the real
// kubectl: a Deployment rolls out, rolls an image, shows history, undoes and scales; a
// StatefulSet comes up in order; a DaemonSet covers every node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../../../helpers/cluster.js";

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});

afterAll(async () => {
  await c.stop();
});

function deployment(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: "${image}"}]}
`;
}

/** Images of the selector's pods that are not terminating: `rollout status` reports done while
 * old pods still run out their grace period, as in Kubernetes. */
async function podImages(selector: string): Promise<string[]> {
  const list = JSON.parse(await c.kubectlOk(["get", "pods", "-l", selector, "-o", "json"])) as {
    items: { metadata: { deletionTimestamp?: string }; spec: { containers: { image: string }[] } }[];
  };
  return list.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image).sort();
}

describe("workload controllers in berth cluster up", () => {
  it("Deployment: rollout status, set image, history, undo, scale", async () => {
    await c.kubectlOk(["apply", "-f", "-"], { input: deployment("nginx:1.26") });
    expect(await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=60s"], { timeoutMs: 70_000 })).toContain("successfully rolled out");
    await c.kubectlOk(["set", "image", "deployment/web", "app=nginx:1.27"]);
    expect(await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=60s"], { timeoutMs: 70_000 })).toContain("successfully rolled out");
    expect(await podImages("app=web")).toEqual(["nginx:1.27", "nginx:1.27", "nginx:1.27"]);
    const history = await c.kubectlOk(["rollout", "history", "deployment/web"]);
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);
    await c.kubectlOk(["rollout", "undo", "deployment/web"]);
    expect(await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=60s"], { timeoutMs: 70_000 })).toContain("successfully rolled out");
    expect(await podImages("app=web")).toEqual(["nginx:1.26", "nginx:1.26", "nginx:1.26"]);
    await c.kubectlOk(["scale", "deployment/web", "--replicas=5"]);
    expect(await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=60s"], { timeoutMs: 70_000 })).toContain("successfully rolled out");
    expect(await podImages("app=web")).toHaveLength(5);
    await c.kubectlOk(["scale", "deployment/web", "--replicas=1"]);
    expect(await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=60s"], { timeoutMs: 70_000 })).toContain("successfully rolled out");
    expect(await podImages("app=web")).toHaveLength(1);
  });

  it("StatefulSet: web-0, web-1, web-2 come up", async () => {
    await c.kubectlOk(["apply", "-f", "-"], {
      input: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16"}]}
`,
    });
    expect(await c.kubectlOk(["rollout", "status", "statefulset/db", "--timeout=60s"], { timeoutMs: 70_000 })).toMatch(/roll out complete|partitioned roll out complete|3 pods ready/);
    const names = await c.kubectlOk(["get", "pods", "-l", "app=db", "-o", "jsonpath={.items[*].metadata.name}"]);
    expect(names.split(" ").sort()).toEqual(["db-0", "db-1", "db-2"]);
  });

  it("DaemonSet: one pod per node", async () => {
    await c.kubectlOk(["apply", "-f", "-"], {
      input: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "agent:1"}]}
`,
    });
    expect(await c.kubectlOk(["rollout", "status", "daemonset/agent", "--timeout=60s"], { timeoutMs: 70_000 })).toContain("successfully rolled out");
    const nodes = (await c.kubectlOk(["get", "nodes", "-o", "name"])).split("\n").filter((l) => l !== "");
    const podNodes = (await c.kubectlOk(["get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}"])).split(" ").filter((n) => n !== "");
    expect(podNodes.sort()).toEqual(nodes.map((n) => n.replace("node/", "")).sort());
  });
});
