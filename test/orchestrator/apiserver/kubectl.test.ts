// Real kubectl against the server on a loopback port: the key flows end to end.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubectlServer, type KubectlServer } from "./fixture.js";

let live: KubectlServer;
let dir: string;

const kubectl = (...args: string[]): Promise<string> => live.kubectl(args);

beforeAll(async () => {
  live = await startKubectlServer({ dirPrefix: "berth-kubectl-", gcIntervalMs: 200 });
  dir = live.dir;
});

afterAll(() => live.close());

describe("kubectl", () => {
  it("lists namespaces and resources", async () => {
    expect(await kubectl("get", "ns")).toMatch(/kube-system\s+Active/);
    expect(await kubectl("api-resources")).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
  });

  it("applies twice, scales, patches, and deletes with cascade", async () => {
    const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
`;
    const file = path.join(dir, "dep.yaml");
    await writeFile(file, manifest("nginx:1.26"));
    expect(await kubectl("apply", "-f", file)).toContain("deployment.apps/web created");
    await writeFile(file, manifest("nginx:1.27"));
    expect(await kubectl("apply", "-f", file)).toContain("deployment.apps/web configured");
    await kubectl("scale", "deploy/web", "--replicas=4");
    expect(await kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}")).toBe("4 nginx:1.27");
    await kubectl("patch", "deploy", "web", "-p", '{"metadata":{"labels":{"tier":"front"}}}');
    expect(await kubectl("get", "deploy", "-l", "tier=front", "-o", "name")).toBe("deployment.apps/web\n");
    expect(await kubectl("get", "deploy", "-A")).toMatch(/default\s+web\s+0\/4/);
    await kubectl("delete", "deploy", "web", "--cascade=foreground", "--timeout=20s");
    expect(await kubectl("get", "deploy", "-o", "name")).toBe("");
  });

  it("creates a namespace and a configmap with typed commands, then deletes the namespace", async () => {
    await kubectl("create", "namespace", "scratch");
    await kubectl("-n", "scratch", "create", "configmap", "c", "--from-literal=a=b");
    expect(await kubectl("-n", "scratch", "get", "cm", "c", "-o", "jsonpath={.data.a}")).toBe("b");
    await kubectl("delete", "namespace", "scratch", "--timeout=20s");
    await expect(kubectl("get", "ns", "scratch")).rejects.toThrow(/NotFound|not found/);
  });

  it("server-side applies", async () => {
    const file = path.join(dir, "cm.yaml");
    await writeFile(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: default}\ndata: {a: '1'}\n");
    expect(await kubectl("apply", "--server-side", "-f", file)).toContain("serverside-applied");
    expect(await kubectl("get", "cm", "ssa", "-o", "jsonpath={.metadata.managedFields[0].manager}")).toBe("kubectl");
  });
});
