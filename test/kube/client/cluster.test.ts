// The client against the real built-in cluster (`berth cluster up`), with kubectl beside it:
// the kubeconfig the cluster writes works as is, and both see the same objects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeClient } from "../../../kube/client/index.js";
import { startTestCluster, type TestCluster } from "../../helpers/cluster.js";

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster.stop());

describe("KubeClient on the built-in cluster", () => {
  it("applies what kubectl then reads, and reads what kubectl wrote", async () => {
    const client = createKubeClient({ kubeconfig: cluster.kubeconfig });
    await client.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "from-berth" }, data: { k: "v" } });
    expect(await cluster.kubectlOk(["get", "configmap", "from-berth", "-o", "jsonpath={.data.k}"])).toBe("v");
    await cluster.kubectlOk(["create", "configmap", "from-kubectl", "--from-literal=a=b"]);
    expect((await client.get({ apiVersion: "v1", kind: "ConfigMap", name: "from-kubectl" })).data).toEqual({ a: "b" });
  });
});
