// Volumes the way a kubelet and kube-scheduler handle them, end to end with the real kubectl
// against `berth cluster up`:
//   - a pod on a node whose claim is unbound or missing stays ContainerCreating, `kubectl
//     describe` shows the kubelet's FailedMount, and it starts once a volume binds the claim
//     (the pod names its node: the scheduler never places a pod with an unbound Immediate
//     claim, so only such a pod reaches a kubelet with one);
//   - a WaitForFirstConsumer claim gets the chosen node and is Bound before the pod is bound:
//     while nothing can bind it, the pod waits unbound in PreBind;
//   - a pod whose ConfigMap volume is missing stays ContainerCreating with the kubelet's
//     MountVolume.SetUp Event and starts when the ConfigMap appears.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ namespace: "v2" });
}, 60_000);
afterAll(async () => {
  await c.stop();
});

const N = ["-n", "v2"];

async function apply(yaml: string): Promise<void> {
  await c.kubectlOk(["apply", ...N, "-f", "-"], { input: yaml });
}

async function jsonpath(args: string[], path: string): Promise<string> {
  return c.kubectlOk(["get", ...args, "-o", `jsonpath=${path}`]);
}

/** Polls until check passes (30 s at most). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("condition not reached within 30 s");
}

function classYaml(name: string, provisioner: string, mode: string): string {
  return `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ${name}}\nprovisioner: ${provisioner}\nvolumeBindingMode: ${mode}\n`;
}

function claimYaml(name: string, className: string): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec: {storageClassName: ${className}, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;
}

function volumeYaml(name: string, className: string, node?: string): string {
  const affinity = node ? `\n  nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [${node}]}]}]}}` : "";
  return `apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  storageClassName: ${className}
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/berth-e2e-${name}}${affinity}
`;
}

function podYaml(name: string, volume: string, options: { nodeName?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1${options.nodeName ? `\n  nodeName: ${options.nodeName}` : ""}
  containers: [{name: app, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, ${volume}}]
`;
}

async function describePod(name: string): Promise<string> {
  return c.kubectlOk(["describe", "pod", ...N, name]);
}

async function waitReady(pod: string): Promise<void> {
  await c.kubectlOk(["wait", ...N, "--for=condition=Ready", `pod/${pod}`, "--timeout=60s"]);
}

describe("volumes: kubelet mounts and scheduler PreBind", () => {
  it("a pod whose claim is unbound shows FailedMount and starts once a matching volume binds it", async () => {
    await c.kubectlOk(["apply", "-f", "-"], { input: classYaml("manual", "kubernetes.io/no-provisioner", "Immediate") });
    await apply(claimYaml("data", "manual"));
    await apply(podYaml("db", "persistentVolumeClaim: {claimName: data}", { nodeName: "berth-node-1" }));
    const expected = "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC v2/data: PVC is not bound";
    let described = "";
    await eventually(async () => (described = await describePod("db")).includes(expected));
    expect(described).toMatch(/Warning\s+FailedMount\s+.*kubelet\s+Unable to attach or mount volumes/);
    expect(await c.kubectlOk(["get", "pod", ...N, "db", "--no-headers"])).toMatch(/^db\s+0\/1\s+ContainerCreating\s/);
    expect(await jsonpath([...N, "pod", "db"], "{.status.phase} {.status.podIP}")).toBe("Pending ");

    await c.kubectlOk(["apply", "-f", "-"], { input: volumeYaml("v2-manual", "manual") });
    await waitReady("db");
    expect(await jsonpath([...N, "pvc", "data"], "{.status.phase} {.spec.volumeName}")).toBe("Bound v2-manual");
  });

  it("a pod whose claim does not exist shows the kubelet's not-found and starts once the claim exists and binds", async () => {
    await apply(podYaml("orphan", "persistentVolumeClaim: {claimName: later}", { nodeName: "berth-node-1" }));
    const expected = 'error processing PVC v2/later: failed to fetch PVC from API server: persistentvolumeclaims "later" not found';
    await eventually(async () => (await describePod("orphan")).includes(expected));
    await c.kubectlOk(["apply", "-f", "-"], { input: volumeYaml("v2-later", "manual") });
    await apply(claimYaml("later", "manual"));
    await waitReady("orphan");
  });

  it("a WaitForFirstConsumer claim is Bound on the chosen node before its pod is bound", async () => {
    await c.kubectlOk(["apply", "-f", "-"], { input: classYaml("external-late", "example.com/external", "WaitForFirstConsumer") });
    await apply(claimYaml("late", "external-late"));
    await apply(podYaml("consumer", "persistentVolumeClaim: {claimName: late}"));
    const annotation = "{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}";
    let selected = "";
    await eventually(async () => (selected = await jsonpath([...N, "pvc", "late"], annotation)) !== "");
    expect(selected).toMatch(/^berth-node-/);
    // The node is chosen and written on the claim, but nothing has bound the claim: PreBind
    // holds the pod unbound.
    expect(await jsonpath([...N, "pvc", "late"], "{.status.phase}")).toBe("Pending");
    expect(await jsonpath([...N, "pod", "consumer"], "{.spec.nodeName}")).toBe("");

    await c.kubectlOk(["apply", "-f", "-"], { input: volumeYaml("v2-late", "external-late", selected) });
    await eventually(async () => (await jsonpath([...N, "pod", "consumer"], "{.spec.nodeName}")) !== "");
    expect(await jsonpath([...N, "pod", "consumer"], "{.spec.nodeName}")).toBe(selected);
    expect(await jsonpath([...N, "pvc", "late"], `{.status.phase} {.spec.volumeName} ${annotation}`)).toBe(`Bound v2-late ${selected}`);
    await waitReady("consumer");
  });

  it("a pod whose ConfigMap volume is missing stays ContainerCreating and starts when the ConfigMap appears", async () => {
    await apply(podYaml("web", "configMap: {name: app-config}"));
    const expected = 'MountVolume.SetUp failed for volume "data" : configmap "app-config" not found';
    let described = "";
    await eventually(async () => (described = await describePod("web")).includes(expected));
    expect(described).toMatch(/Warning\s+FailedMount\s+.*kubelet\s+MountVolume\.SetUp failed/);
    expect(await c.kubectlOk(["get", "pod", ...N, "web", "--no-headers"])).toMatch(/^web\s+0\/1\s+ContainerCreating\s/);

    await c.kubectlOk(["create", "configmap", ...N, "app-config", "--from-literal=k=v"]);
    await waitReady("web");
  });
});
