// The real kubectl against a started cluster: the commands a user runs every day.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KUBECTL, startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c.stop();
});

function deployment(options: { name: string; replicas: number; image: string; env?: Record<string, string> }): string {
  const env = Object.entries(options.env ?? {}).map(([name, value]) => `            - name: ${name}\n              value: "${value}"`).join("\n");
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${options.name}
  labels: { app: ${options.name}, tier: web }
spec:
  replicas: ${options.replicas}
  selector:
    matchLabels: { app: ${options.name} }
  template:
    metadata:
      labels: { app: ${options.name} }
    spec:
      containers:
        - name: main
          image: ${options.image}
${env ? `          env:\n${env}\n` : ""}`;
}

describe("cluster information", () => {
  it("cluster-info names the server", async () => {
    expect(await c.kubectlOk(["cluster-info"])).toContain(c.url);
  });

  it("api-resources lists the built-in kinds with short names", async () => {
    const out = await c.kubectlOk(["api-resources"]);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    expect(out).toMatch(/^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m);
  });

  it("get --raw /readyz answers ok", async () => {
    expect((await c.kubectlOk(["get", "--raw", "/readyz"])).trim()).toBe("ok");
  });

  it("explain reads the OpenAPI v3 schema", async () => {
    const out = await c.kubectlOk(["explain", "deployment.spec.template"]);
    expect(out).toContain("GROUP:      apps");
    expect(out).toContain("KIND:       Deployment");
    expect(out).toContain("FIELD: template <PodTemplateSpec>");
    expect(out).toMatch(/spec\s+<PodSpec>/);
    const fields = await c.kubectlOk(["explain", "pod.spec.containers.ports"]);
    expect(fields).toContain("containerPort\t<integer> -required-");
  });
});

describe("namespaces and apply", () => {
  it("create namespace, then get it", async () => {
    expect(await c.kubectlOk(["create", "namespace", "shop"])).toContain("namespace/shop created");
    expect(await c.kubectlOk(["get", "namespace", "shop", "-o", "jsonpath={.status.phase}"])).toBe("Active");
  });

  it("apply -f twice with a change merges lists by key", async () => {
    const first = deployment({ name: "web", replicas: 1, image: "nginx:1.25", env: { A: "1" } });
    expect(await c.kubectlOk(["apply", "-n", "shop", "-f", "-"], { input: first })).toContain("deployment.apps/web created");
    // Someone else adds an env var; client-side apply must keep it (strategic merge by name).
    await c.kubectlOk(["set", "env", "-n", "shop", "deployment/web", "B=2"]);
    const second = deployment({ name: "web", replicas: 2, image: "nginx:1.26", env: { A: "1" } });
    expect(await c.kubectlOk(["apply", "-n", "shop", "-f", "-"], { input: second })).toContain("deployment.apps/web configured");
    const got = await c.kubectlOk(["get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name}"]);
    expect(got).toBe("2 nginx:1.26 A B");
  });

  it("apply -f of an unchanged manifest changes nothing", async () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\ndata:\n  a: b\n";
    expect(await c.kubectlOk(["apply", "-n", "shop", "-f", "-"], { input: cm })).toContain("configmap/same created");
    expect(await c.kubectlOk(["apply", "-n", "shop", "-f", "-"], { input: cm })).toContain("configmap/same unchanged");
  });

  it("apply --server-side creates and takes ownership", async () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";
    expect(await c.kubectlOk(["apply", "--server-side", "-n", "shop", "-f", "-"], { input: cm })).toContain("configmap/settings serverside-applied");
    const managers = await c.kubectlOk(["get", "cm", "settings", "-n", "shop", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"]);
    expect(managers).toContain("kubectl");
  });
});

describe("get", () => {
  beforeAll(async () => {
    for (const [name, tier] of [["alpha", "front"], ["beta", "back"], ["gamma", "front"]]) {
      await c.kubectlOk(["create", "configmap", name, "-n", "shop", "--from-literal=x=1"]);
      await c.kubectlOk(["label", "configmap", name, "-n", "shop", `tier=${tier}`]);
    }
  });

  it("prints a table with kubectl's columns", async () => {
    const out = await c.kubectlOk(["get", "deployments", "-n", "shop"]);
    expect(out.split("\n")[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(out).toMatch(/^web\s+/m);
  });

  it("-o yaml prints the object", async () => {
    const out = await c.kubectlOk(["get", "cm", "alpha", "-n", "shop", "-o", "yaml"]);
    expect(out).toContain("kind: ConfigMap");
    expect(out).toMatch(/resourceVersion: "\d+"/);
  });

  it("-l selects by label", async () => {
    expect(await c.kubectlOk(["get", "cm", "-n", "shop", "-l", "tier=front", "-o", "jsonpath={.items[*].metadata.name}"])).toBe("alpha gamma");
    expect(await c.kubectlOk(["get", "cm", "-n", "shop", "-l", "tier!=front,tier", "-o", "name"])).toBe("configmap/beta\n");
  });

  it("--field-selector selects by name", async () => {
    expect(await c.kubectlOk(["get", "cm", "-n", "shop", "--field-selector", "metadata.name=beta", "-o", "name"])).toBe("configmap/beta\n");
  });

  it("-A lists across namespaces", async () => {
    const out = await c.kubectlOk(["get", "cm", "-A", "-l", "tier"]);
    expect(out.split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE$/);
    expect(out).toMatch(/^shop\s+alpha\s+1\s+/m);
  });

  it("get -w receives an event", async () => {
    const child = spawn(KUBECTL, ["--kubeconfig", c.kubeconfig, "get", "cm", "-n", "shop", "-w", "-o", "name"]);
    let out = "";
    const seen = new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("configmap/watched\n")) resolve();
      });
    });
    try {
      await new Promise((r) => setTimeout(r, 500));
      await c.kubectlOk(["create", "configmap", "watched", "-n", "shop"]);
      await seen;
    } finally {
      child.kill();
    }
    expect(out).toContain("configmap/watched\n");
  });
});

describe("changing objects", () => {
  it("describe shows the deployment", async () => {
    const out = await c.kubectlOk(["describe", "deployment", "web", "-n", "shop"]);
    expect(out).toMatch(/^Name:\s+web$/m);
    expect(out).toMatch(/^Namespace:\s+shop$/m);
    expect(out).toContain("nginx:1.26");
  });

  it("label and annotate", async () => {
    await c.kubectlOk(["label", "cm", "alpha", "-n", "shop", "color=blue"]);
    await c.kubectlOk(["annotate", "cm", "alpha", "-n", "shop", "note=hello"]);
    expect(await c.kubectlOk(["get", "cm", "alpha", "-n", "shop", "-o", "jsonpath={.metadata.labels.color} {.metadata.annotations.note}"])).toBe("blue hello");
    await c.kubectlOk(["label", "cm", "alpha", "-n", "shop", "color-"]);
    expect(await c.kubectlOk(["get", "cm", "alpha", "-n", "shop", "-o", "jsonpath={.metadata.labels.color}"])).toBe("");
  });

  it.each([
    ["json", '[{"op":"replace","path":"/data/x","value":"json"}]', "json"],
    ["merge", '{"data":{"x":"merge"}}', "merge"],
    ["strategic", '{"data":{"x":"strategic"}}', "strategic"],
  ])("patch --type %s", async (type, patch, expected) => {
    await c.kubectlOk(["patch", "cm", "beta", "-n", "shop", "--type", type, "-p", patch]);
    expect(await c.kubectlOk(["get", "cm", "beta", "-n", "shop", "-o", "jsonpath={.data.x}"])).toBe(expected);
  });

  it("strategic patch merges containers by name", async () => {
    await c.kubectlOk(["patch", "deploy", "web", "-n", "shop", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}']);
    expect(await c.kubectlOk(["get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.template.spec.containers[*].name}"])).toBe("main side");
  });

  it("scale sets replicas through the scale subresource", async () => {
    expect(await c.kubectlOk(["scale", "deployment", "web", "-n", "shop", "--replicas=5"])).toContain("deployment.apps/web scaled");
    expect(await c.kubectlOk(["get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}"])).toBe("5");
  });
});

describe("custom resources", () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: { plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct] }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec: { type: string }
                replicas: { type: integer }
`;
  it("a CRD serves its kind and objects of it", async () => {
    await c.kubectlOk(["apply", "-f", "-"], { input: crd });
    const established = async (): Promise<string> =>
      c.kubectlOk(["get", "crd", "crontabs.stable.example.com", "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"]);
    for (let i = 0; i < 50 && (await established()) !== "True"; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await established()).toBe("True");
    const obj = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: nightly\nspec:\n  cronSpec: '0 3 * * *'\n  replicas: 1\n";
    expect(await c.kubectlOk(["apply", "-n", "shop", "-f", "-"], { input: obj })).toContain("crontab.stable.example.com/nightly created");
    expect(await c.kubectlOk(["get", "ct", "-n", "shop", "-o", "jsonpath={.items[*].spec.cronSpec}"])).toBe("0 3 * * *");
  });
});

describe("deleting", () => {
  it("delete cascades from a deployment to what it owns, and wait --for=delete returns", async () => {
    await c.kubectlOk(["create", "namespace", "gone"]);
    await c.kubectlOk(["create", "configmap", "a", "-n", "gone"]);
    const waiter = c.kubectl(["wait", "--for=delete", "configmap/a", "-n", "gone", "--timeout=30s"]);
    await c.kubectlOk(["delete", "configmap", "a", "-n", "gone"]);
    const waited = await waiter;
    expect(waited.code, waited.stderr).toBe(0);
  });

  it("delete namespace removes its objects, then the namespace", async () => {
    await c.kubectlOk(["create", "configmap", "b", "-n", "gone"]);
    await c.kubectlOk(["delete", "namespace", "gone", "--wait=true", "--timeout=60s"]);
    const r = await c.kubectl(["get", "namespace", "gone"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('namespaces "gone" not found');
  });

  it("delete --cascade=foreground of a deployment", async () => {
    await c.kubectlOk(["delete", "deployment", "web", "-n", "shop", "--cascade=foreground", "--wait=true", "--timeout=60s"]);
    const r = await c.kubectl(["get", "deployment", "web", "-n", "shop"]);
    expect(r.stderr).toContain('deployments.apps "web" not found');
  });
});
