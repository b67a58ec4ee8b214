// kubectl's typed create commands and `run` send protobuf bodies; each must create the object
// a real cluster would hold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
  await c.kubectlOk(["create", "namespace", "typed"]);
});
afterAll(async () => {
  await c.stop();
});

const N = ["-n", "typed"];
const get = (args: string[], path: string): Promise<string> => c.kubectlOk(["get", ...args, ...N, "-o", `jsonpath=${path}`]);

describe("typed kubectl create (protobuf bodies)", () => {
  it("create deployment, with replicas 0 kept", async () => {
    await c.kubectlOk(["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80", ...N]);
    expect(await get(["deploy", "web"], "{.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.strategy.type}"))
      .toBe("3 web nginx:1.27 80 RollingUpdate");
    await c.kubectlOk(["create", "deployment", "idle", "--image=nginx", "--replicas=0", ...N]);
    expect(await get(["deploy", "idle"], "{.spec.replicas}")).toBe("0");
  });

  it("create cronjob, create job and create job --from=cronjob", async () => {
    await c.kubectlOk(["create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", ...N, "--", "echo", "hi"]);
    expect(await get(["cronjob", "tick"], "{.spec.schedule} {.spec.jobTemplate.spec.template.spec.containers[0].command}")).toBe('*/5 * * * * ["echo","hi"]');
    await c.kubectlOk(["create", "job", "once", "--image=busybox", ...N, "--", "true"]);
    expect(await get(["job", "once"], "{.spec.template.spec.containers[0].image} {.spec.template.spec.restartPolicy}")).toBe("busybox Never");
    await c.kubectlOk(["create", "job", "manual", "--from=cronjob/tick", ...N]);
    expect(await get(["job", "manual"], "{.metadata.ownerReferences[0].kind} {.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}")).toBe("CronJob manual");
  });

  it("create service clusterip and nodeport", async () => {
    await c.kubectlOk(["create", "service", "clusterip", "front", "--tcp=80:8080", ...N]);
    expect(await get(["svc", "front"], "{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}")).toBe("ClusterIP 80 8080 front");
    await c.kubectlOk(["create", "service", "nodeport", "edge", "--tcp=80:8080", "--node-port=30080", ...N]);
    expect(await get(["svc", "edge"], "{.spec.type} {.spec.ports[0].nodePort}")).toBe("NodePort 30080");
  });

  it("create role, clusterrole, rolebinding and clusterrolebinding", async () => {
    await c.kubectlOk(["create", "role", "reader", "--verb=get,list", "--resource=pods", ...N]);
    expect(await get(["role", "reader"], "{.rules[0].verbs} {.rules[0].apiGroups}")).toBe('["get","list"] [""]');
    await c.kubectlOk(["create", "clusterrole", "node-reader", "--verb=get", "--resource=nodes"]);
    await c.kubectlOk(["create", "rolebinding", "read", "--role=reader", "--user=alice", ...N]);
    expect(await get(["rolebinding", "read"], "{.roleRef.kind}/{.roleRef.name} {.subjects[0].kind}/{.subjects[0].name}")).toBe("Role/reader User/alice");
    await c.kubectlOk(["create", "clusterrolebinding", "nodes", "--clusterrole=node-reader", "--serviceaccount=typed:default"]);
    expect(await c.kubectlOk(["get", "clusterrolebinding", "nodes", "-o", "jsonpath={.subjects[0].kind} {.subjects[0].namespace}"])).toBe("ServiceAccount typed");
  });

  it("create priorityclass and create quota", async () => {
    await c.kubectlOk(["create", "priorityclass", "high", "--value=1000", "--description=important"]);
    expect(await c.kubectlOk(["get", "pc", "high", "-o", "jsonpath={.value} {.description}"])).toBe("1000 important");
    await c.kubectlOk(["create", "quota", "small", "--hard=cpu=1,memory=1G,pods=2", ...N]);
    expect(await get(["quota", "small"], "{.spec.hard.cpu} {.spec.hard.memory} {.spec.hard.pods}")).toBe("1 1G 2");
  });

  it("create ingress", async () => {
    await c.kubectlOk(["create", "ingress", "site", "--rule=example.com/app=front:80", ...N]);
    expect(await get(["ingress", "site"], "{.spec.rules[0].host} {.spec.rules[0].http.paths[0].backend.service.name}")).toBe("example.com front");
  });

  it("run creates a pod with labels, env and a port", async () => {
    await c.kubectlOk(["run", "solo", "--image=nginx", "--labels=app=solo", "--env=MODE=test", "--port=80", ...N]);
    expect(await get(["pod", "solo"], "{.metadata.labels.app} {.spec.containers[0].env[0].value} {.spec.containers[0].ports[0].containerPort}")).toBe("solo test 80");
  });
});
