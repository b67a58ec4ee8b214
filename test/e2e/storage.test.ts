// Storage end to end with the real kubectl against `berth cluster up`: static binding picks
// the smallest volume that fits, the default class provisions a directory under the data dir,
// WaitForFirstConsumer binds on the node the scheduler picked, StatefulSet claims outlive
// their pods, in-use protection holds a claim until its pod is gone, and the reclaim policy
// decides what happens to a released volume.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ namespace: "st" });
}, 60_000);
afterAll(async () => {
  await c.stop();
});

const N = ["-n", "st"];

function claimYaml(name: string, options: { className?: string; size?: string; volumeName?: string; modes?: string } = {}): string {
  const lines = [`apiVersion: v1`, `kind: PersistentVolumeClaim`, `metadata: {name: ${name}}`, `spec:`];
  if (options.className !== undefined) lines.push(`  storageClassName: "${options.className}"`);
  if (options.volumeName) lines.push(`  volumeName: ${options.volumeName}`);
  lines.push(`  accessModes: [${options.modes ?? "ReadWriteOnce"}]`, `  resources: {requests: {storage: "${options.size ?? "1Gi"}"}}`);
  return `${lines.join("\n")}\n`;
}

function volumeYaml(name: string, options: { size: string; policy?: string }): string {
  return `apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  storageClassName: ""
  capacity: {storage: ${options.size}}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: ${options.policy ?? "Retain"}
  hostPath: {path: /tmp/berth-e2e-${name}}
`;
}

function podYaml(name: string, claim: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}}}]
`;
}

async function apply(yaml: string): Promise<void> {
  await c.kubectlOk(["apply", ...N, "-f", "-"], { input: yaml });
}

async function jsonpath(args: string[], path: string): Promise<string> {
  return c.kubectlOk(["get", ...args, "-o", `jsonpath=${path}`]);
}

async function waitBound(claim: string): Promise<void> {
  await c.kubectlOk(["wait", ...N, "--for=jsonpath={.status.phase}=Bound", `pvc/${claim}`, "--timeout=30s"]);
}

/** Polls kubectl until check passes (30 s at most). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("condition not reached within 30 s");
}

async function claimEvents(claim: string): Promise<string> {
  return c.kubectlOk(["get", "events", ...N, "--field-selector", `involvedObject.name=${claim}`, "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"]);
}

describe("storage", () => {
  it("a default StorageClass `standard` exists", async () => {
    expect(await jsonpath(["storageclass", "standard"], "{.provisioner} {.metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class}")).toBe("berth.dev/hostpath true");
    const table = await c.kubectlOk(["get", "storageclass"]);
    expect(table).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\n/);
    expect(table).toMatch(/\nstandard \(default\)\s+berth\.dev\/hostpath\s+Delete\s+Immediate\s+false\s+/);
  });

  it("a claim binds to the smallest matching static volume, never a too-small one", async () => {
    await apply(volumeYaml("e2e-small", { size: "1Gi" }) + "---\n" + volumeYaml("e2e-big", { size: "5Gi" }) + "---\n" + volumeYaml("e2e-huge", { size: "50Gi" }));
    await apply(claimYaml("static", { className: "", size: "2Gi" }));
    await waitBound("static");
    expect(await jsonpath([...N, "pvc", "static"], "{.spec.volumeName} {.status.capacity.storage}")).toBe("e2e-big 5Gi");
    expect(await jsonpath(["pv", "e2e-big"], "{.status.phase} {.spec.claimRef.name} {.metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller}")).toBe("Bound static yes");
    expect(await jsonpath(["pv", "e2e-small"], "{.status.phase}")).toBe("Available");
  });

  it("a claim with no class and no fitting volume stays Pending with FailedBinding, and its pod is not scheduled", async () => {
    await apply(claimYaml("nothing", { className: "", size: "500Gi" }) + "---\n" + podYaml("waits", "nothing"));
    await eventually(async () => (await claimEvents("nothing")).includes("FailedBinding: no persistent volumes available for this claim and no storage class is set"));
    expect(await jsonpath([...N, "pvc", "nothing"], "{.status.phase}")).toBe("Pending");
    await eventually(async () => (await jsonpath([...N, "pod", "waits"], "{.status.conditions[0].message}")).includes("pod has unbound immediate PersistentVolumeClaims"));
    expect(await jsonpath([...N, "pod", "waits"], "{.spec.nodeName}")).toBe("");
  });

  it("a claim provisions a directory under the data dir; Delete reclaim removes it with the volume", async () => {
    await apply(claimYaml("dynamic"));
    await waitBound("dynamic");
    const uid = await jsonpath([...N, "pvc", "dynamic"], "{.metadata.uid}");
    const pv = `pvc-${uid}`;
    expect(await jsonpath([...N, "pvc", "dynamic"], "{.spec.storageClassName} {.spec.volumeName}")).toBe(`standard ${pv}`);
    const dir = path.join(c.dataDir, "volumes", pv);
    expect(await jsonpath(["pv", pv], "{.spec.hostPath.path} {.spec.persistentVolumeReclaimPolicy}")).toBe(`${dir} Delete`);
    expect(existsSync(dir)).toBe(true);
    expect(await claimEvents("dynamic")).toContain(`ProvisioningSucceeded: Successfully provisioned volume ${pv} using berth.dev/hostpath`);
    await c.kubectlOk(["delete", ...N, "pvc", "dynamic"]);
    await c.kubectlOk(["wait", "--for=delete", `pv/${pv}`, "--timeout=30s"]);
    expect(existsSync(dir)).toBe(false);
  });

  it("Retain leaves the volume Released when its claim goes", async () => {
    await apply(volumeYaml("e2e-keep", { size: "3Gi" }));
    await apply(claimYaml("keep", { className: "", volumeName: "e2e-keep", size: "3Gi" }));
    await waitBound("keep");
    await c.kubectlOk(["delete", ...N, "pvc", "keep"]);
    await c.kubectlOk(["wait", "--for=jsonpath={.status.phase}=Released", "pv/e2e-keep", "--timeout=30s"]);
    expect(await jsonpath(["pv", "e2e-keep"], "{.spec.claimRef.name}")).toBe("keep");
  });

  it("a WaitForFirstConsumer claim binds only once its pod is scheduled, on that pod's node", async () => {
    await c.kubectlOk(["apply", "-f", "-"], { input: "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: late}\nprovisioner: berth.dev/hostpath\nvolumeBindingMode: WaitForFirstConsumer\n" });
    await apply(claimYaml("late", { className: "late" }));
    await eventually(async () => (await claimEvents("late")).includes("WaitForFirstConsumer: waiting for first consumer to be created before binding"));
    expect(await jsonpath([...N, "pvc", "late"], "{.status.phase} {.spec.volumeName}")).toBe("Pending ");
    await apply(podYaml("consumer", "late"));
    await waitBound("late");
    const node = await jsonpath([...N, "pod", "consumer"], "{.spec.nodeName}");
    expect(node).toMatch(/^berth-node-/);
    expect(await jsonpath([...N, "pvc", "late"], "{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}")).toBe(node);
    const pv = await jsonpath([...N, "pvc", "late"], "{.spec.volumeName}");
    expect(await jsonpath(["pv", pv], "{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key} {.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}")).toBe(`kubernetes.io/hostname ${node}`);
    // A second pod of the claim can only run where the volume is.
    await apply(podYaml("consumer-2", "late"));
    await eventually(async () => (await jsonpath([...N, "pod", "consumer-2"], "{.spec.nodeName}")) !== "");
    expect(await jsonpath([...N, "pod", "consumer-2"], "{.spec.nodeName}")).toBe(node);
  });

  it("a claim in use is not removed until its pod is gone", async () => {
    await apply(claimYaml("used") + "---\n" + podYaml("user", "used"));
    await waitBound("used");
    await c.kubectlOk(["wait", ...N, "--for=condition=Ready", "pod/user", "--timeout=30s"]);
    expect(await jsonpath([...N, "pvc", "used"], "{.metadata.finalizers[0]}")).toBe("kubernetes.io/pvc-protection");
    const pv = await jsonpath([...N, "pvc", "used"], "{.spec.volumeName}");
    expect(await jsonpath(["pv", pv], "{.metadata.finalizers[0]}")).toBe("kubernetes.io/pv-protection");
    await c.kubectlOk(["delete", ...N, "pvc", "used", "--wait=false"]);
    // Still there, marked for deletion, while the pod runs.
    expect(await jsonpath([...N, "pvc", "used"], "{.metadata.deletionTimestamp}")).not.toBe("");
    expect(await c.kubectlOk(["get", ...N, "pvc", "used", "--no-headers"])).toMatch(/^used\s+Terminating\s+/);
    const r = await c.kubectl(["wait", ...N, "--for=delete", "pvc/used", "--timeout=2s"]);
    expect(r.code).not.toBe(0);
    await c.kubectlOk(["delete", ...N, "pod", "user"]);
    await c.kubectlOk(["wait", ...N, "--for=delete", "pvc/used", "--timeout=30s"]);
    await c.kubectlOk(["wait", "--for=delete", `pv/${pv}`, "--timeout=30s"]);
  });

  it("a StatefulSet of 3 gets 3 claims that survive a pod's deletion and a scale down", async () => {
    await apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: db, image: postgres, volumeMounts: [{name: data, mountPath: /data}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
    await c.kubectlOk(["rollout", "status", ...N, "statefulset/db", "--timeout=60s"]);
    for (const i of [0, 1, 2]) await waitBound(`data-db-${i}`);
    const uid = await jsonpath([...N, "pvc", "data-db-1"], "{.metadata.uid}");
    const oldPod = await jsonpath([...N, "pod", "db-1"], "{.metadata.uid}");
    await c.kubectlOk(["delete", ...N, "pod", "db-1"]);
    await eventually(async () => {
      const r = await c.kubectl(["get", ...N, "pod", "db-1", "-o", "jsonpath={.metadata.uid} {.status.phase}"]);
      return r.code === 0 && !r.stdout.startsWith(oldPod) && r.stdout.endsWith("Running");
    });
    expect(await jsonpath([...N, "pvc", "data-db-1"], "{.metadata.uid} {.status.phase}")).toBe(`${uid} Bound`);
    expect(await jsonpath([...N, "pod", "db-1"], "{.spec.volumes[0].persistentVolumeClaim.claimName}")).toBe("data-db-1");
    await c.kubectlOk(["scale", ...N, "statefulset/db", "--replicas=1"]);
    await c.kubectlOk(["wait", ...N, "--for=delete", "pod/db-2", "pod/db-1", "--timeout=60s"]);
    expect((await jsonpath([...N, "pvc"], "{.items[*].metadata.name}")).split(" ")).toEqual(expect.arrayContaining(["data-db-0", "data-db-1", "data-db-2"]));
  });

  it("bad claims get Kubernetes' errors and events", async () => {
    const badMode = await c.kubectl(["apply", ...N, "-f", "-"], { input: claimYaml("bad", { modes: "ReadWriteSome" }) });
    expect(badMode.code).not.toBe(0);
    expect(badMode.stderr).toContain('spec.accessModes: Unsupported value: "ReadWriteSome": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"');
    const badSize = await c.kubectl(["apply", ...N, "-f", "-"], { input: claimYaml("bad", { size: "1Gx" }) });
    expect(badSize.stderr).toContain("quantities must match the regular expression");
    const zero = await c.kubectl(["apply", ...N, "-f", "-"], { input: claimYaml("bad", { size: "0" }) });
    expect(zero.stderr).toContain('spec.resources.requests[storage]: Invalid value: "0": must be greater than zero');
    await apply(claimYaml("no-such-class", { className: "fast" }));
    await eventually(async () => (await claimEvents("no-such-class")).includes('ProvisioningFailed: storageclass.storage.k8s.io "fast" not found'));
  });
});
