// The real kubectl for what goes beyond CRUD: waiting, watching, validation, pruning,
// cascading deletes, server-side apply conflicts, events and custom resource subresources.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KUBECTL, startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
  await c.kubectlOk(["create", "namespace", "ops"]);
});
afterAll(async () => {
  await c.stop();
});

const N = ["-n", "ops"];

const CRONTABS = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: { plural: crontabs, singular: crontab, kind: CronTab }
  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
        scale: { specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec: { type: string }
                replicas: { type: integer }
            status:
              type: object
              properties:
                replicas: { type: integer }
`;

/** Runs `kubectl get -w`-style commands until their output contains `until`. */
function watchUntil(args: string[], until: string, act: () => Promise<unknown>): Promise<string> {
  const child = spawn(KUBECTL, ["--kubeconfig", c.kubeconfig, ...args]);
  let out = "";
  const seen = new Promise<void>((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes(until)) resolve();
    });
  });
  const started = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  return (async () => {
    try {
      // --watch-only prints nothing until an event; give the watch a moment to open.
      if (args.includes("--watch-only")) await new Promise((r) => setTimeout(r, 700));
      else await started;
      await act();
      await seen;
      return out;
    } finally {
      child.kill();
    }
  })();
}

describe("custom resource definitions", () => {
  it("wait --for=condition=Established returns for an established CRD", async () => {
    await c.kubectlOk(["apply", "-f", "-"], { input: CRONTABS });
    const r = await c.kubectl(["wait", "--for=condition=Established", "crd/crontabs.stable.example.com", "--timeout=20s"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("condition met");
  });

  it("explain shows a CRD's openAPIV3Schema", async () => {
    expect(await c.kubectlOk(["explain", "crontab.spec"])).toContain("cronSpec\t<string>");
  });

  it("scale works through a CRD's scale subresource", async () => {
    await c.kubectlOk(["apply", ...N, "-f", "-"], { input: "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: nightly\nspec:\n  cronSpec: x\n  replicas: 1\n" });
    expect(await c.kubectlOk(["scale", "crontab", "nightly", "--replicas=4", ...N])).toContain("scaled");
    expect(await c.kubectlOk(["get", "crontab", "nightly", ...N, "-o", "jsonpath={.spec.replicas}"])).toBe("4");
  });
});

describe("field validation", () => {
  const badCronTab = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: bad\nspec:\n  cronSpec: x\n  bogus: 1\n";
  const badConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\nbogus: 1\n";

  it("the default (Strict) rejects an unknown field of a CRD object", async () => {
    const r = await c.kubectl(["create", ...N, "-f", "-"], { input: badCronTab });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.bogus"');
  });

  it("the default (Strict) rejects an unknown field of a built-in kind", async () => {
    const r = await c.kubectl(["create", ...N, "-f", "-"], { input: badConfigMap });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"');
  });

  it("--validate=warn creates the object without the field and prints a warning", async () => {
    const r = await c.kubectl(["create", ...N, "--validate=warn", "-f", "-"], { input: badConfigMap });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: unknown field "bogus"');
    expect(await c.kubectlOk(["get", "cm", "extra", ...N, "-o", "json"])).not.toContain("bogus");
  });

  it("--validate=false (Ignore) accepts and drops the field", async () => {
    const r = await c.kubectl(["create", ...N, "--validate=false", "-f", "-"], { input: badCronTab });
    expect(r.code, r.stderr).toBe(0);
    expect(await c.kubectlOk(["get", "crontab", "bad", ...N, "-o", "jsonpath={.spec}"])).toBe('{"cronSpec":"x"}');
  });
});

describe("watching and waiting", () => {
  it("get --watch-only prints only changes", async () => {
    await c.kubectlOk(["create", "configmap", "before", ...N]);
    const out = await watchUntil(["get", "cm", ...N, "--watch-only", "-o", "name"], "configmap/after", () => c.kubectlOk(["create", "configmap", "after", ...N]));
    expect(out).not.toContain("configmap/before");
  });

  it("wait --for=jsonpath waits for a value", async () => {
    await c.kubectlOk(["create", "configmap", "flag", "--from-literal=state=off", ...N]);
    const waiter = c.kubectl(["wait", "--for=jsonpath={.data.state}=on", "cm/flag", ...N, "--timeout=30s"]);
    await c.kubectlOk(["patch", "cm", "flag", ...N, "-p", '{"data":{"state":"on"}}']);
    const r = await waiter;
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("apply", () => {
  it("--server-side reports a conflict with another manager, and --force-conflicts takes the field", async () => {
    const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: ops\ndata:\n  key: "${v}"\n`;
    await c.kubectlOk(["apply", "--server-side", "-f", "-"], { input: cm("1") });
    const r = await c.kubectl(["apply", "--server-side", "--field-manager=other", "-f", "-"], { input: cm("2") });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .data.key');
    await c.kubectlOk(["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], { input: cm("2") });
    expect(await c.kubectlOk(["get", "cm", "shared", ...N, "-o", "jsonpath={.data.key}"])).toBe("2");
  });

  it("--prune -l deletes labelled objects no longer in the manifests", async () => {
    const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ops\n  labels: { set: pruned }\n`;
    await c.kubectlOk(["apply", "-f", "-"], { input: `${cm("keep")}---\n${cm("drop")}` });
    const out = await c.kubectlOk(["apply", "--prune", "-l", "set=pruned", ...N, "-f", "-"], { input: cm("keep") });
    expect(out).toContain("configmap/drop pruned");
    expect(await c.kubectlOk(["get", "cm", "-l", "set=pruned", ...N, "-o", "name"])).toBe("configmap/keep\n");
  });
});

describe("deleting", () => {
  it("--cascade=orphan keeps dependents and drops their owner reference", async () => {
    await c.kubectlOk(["create", "configmap", "owner", ...N]);
    const uid = await c.kubectlOk(["get", "cm", "owner", ...N, "-o", "jsonpath={.metadata.uid}"]);
    const dependent = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dependent\n  namespace: ops\n  ownerReferences: [{ apiVersion: v1, kind: ConfigMap, name: owner, uid: ${uid} }]\n`;
    await c.kubectlOk(["apply", "-f", "-"], { input: dependent });
    await c.kubectlOk(["delete", "cm", "owner", ...N, "--cascade=orphan"]);
    expect(await c.kubectlOk(["get", "cm", "dependent", ...N, "-o", "jsonpath={.metadata.ownerReferences}"])).toBe("");
  });
});

describe("graceful pod deletion", () => {
  it("--grace-period marks a bound pod Terminating; --grace-period=0 --force removes it", async () => {
    await c.kubectlOk(["create", "-f", "-"], { input: "apiVersion: v1\nkind: Pod\nmetadata: { name: slow, namespace: ops }\nspec:\n  nodeName: nowhere-1\n  containers: [{ name: a, image: nginx }]\n" });
    await c.kubectlOk(["delete", "pod", "slow", ...N, "--grace-period=120", "--wait=false"]);
    expect(await c.kubectlOk(["get", "pod", "slow", ...N, "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}"])).toBe("120");
    expect(await c.kubectlOk(["get", "pod", "slow", ...N])).toMatch(/^slow\s+0\/1\s+Terminating\s/m);
    const forced = await c.kubectl(["delete", "pod", "slow", ...N, "--grace-period=0", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await c.kubectl(["get", "pod", "slow", ...N])).stderr).toContain('pods "slow" not found');
  });
});

describe("events and discovery", () => {
  it("describe pod lists the pod's events, and get events -A shows them", async () => {
    await c.kubectlOk(["run", "eventful", "--image=nginx", ...N]);
    const uid = await c.kubectlOk(["get", "pod", "eventful", ...N, "-o", "jsonpath={.metadata.uid}"]);
    const event = `apiVersion: v1\nkind: Event\nmetadata: { name: eventful.1, namespace: ops }\ninvolvedObject: { apiVersion: v1, kind: Pod, name: eventful, namespace: ops, uid: ${uid} }\nreason: Pulled\nmessage: image pulled for the test\ntype: Normal\nsource: { component: kubelet }\ncount: 1\n`;
    await c.kubectlOk(["create", "-f", "-"], { input: event });
    expect(await c.kubectlOk(["describe", "pod", "eventful", ...N])).toMatch(/Normal\s+Pulled\s+.*image pulled for the test/);
    expect(await c.kubectlOk(["get", "events", "-A"])).toMatch(/^ops\s+.*Pulled\s+pod\/eventful\s+image pulled for the test$/m);
  });

  it("describe node lists the pods bound to it", async () => {
    const node = `apiVersion: v1\nkind: Node\nmetadata: { name: worker-1 }\nstatus:\n  capacity: { cpu: "4", memory: 8Gi, pods: "110" }\n  allocatable: { cpu: "4", memory: 8Gi, pods: "110" }\n  nodeInfo: { kubeletVersion: v1.32.0, operatingSystem: linux, architecture: amd64, machineID: m, systemUUID: u, bootID: b, kernelVersion: k, osImage: o, containerRuntimeVersion: r, kubeProxyVersion: v1.32.0 }\n`;
    await c.kubectlOk(["create", "-f", "-"], { input: node });
    await c.kubectlOk(["create", "-f", "-"], { input: "apiVersion: v1\nkind: Pod\nmetadata: { name: bound, namespace: ops }\nspec:\n  nodeName: worker-1\n  containers: [{ name: a, image: nginx }]\n" });
    const out = await c.kubectlOk(["describe", "node", "worker-1"]);
    expect(out).toMatch(/^Name:\s+worker-1$/m);
    expect(out).toMatch(/Non-terminated Pods:\s+\(1 in total\)/);
    expect(out).toMatch(/^\s+ops\s+bound\s/m);
  });

  it("api-resources -o wide lists verbs", async () => {
    expect(await c.kubectlOk(["api-resources", "-o", "wide"])).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s+create,delete,deletecollection,get,list,patch,update,watch\s+all$/m);
  });

  it("get --raw /openapi/v3 lists the group-versions", async () => {
    const index: unknown = JSON.parse(await c.kubectlOk(["get", "--raw", "/openapi/v3"]));
    expect(index).toMatchObject({ paths: { "api/v1": {}, "apis/apps/v1": {} } });
  });

  it("get all lists the workloads of a namespace", async () => {
    const out = await c.kubectlOk(["get", "all", ...N]);
    expect(out).toContain("pod/eventful");
  });
});
