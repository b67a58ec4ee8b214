// The kubelet's mount check as a table: for each pod and set of cached objects, which volumes
// stay unmounted and the exact FailedMount Events a Kubernetes 1.32 kubelet writes.
import { describe, expect, it } from "vitest";
import { checkMounts, expectedVolumes, needsMountCheck, type MountObject, type MountView, type SourceKind } from "../../../orchestrator/kubelet/mounts.js";
import type { Pod } from "../../../orchestrator/kubelet/types.js";

type Objects = Partial<Record<SourceKind, Record<string, MountObject>>>;

function view(objects: Objects): MountView {
  return { get: (kind, namespace, name) => objects[kind]?.[kind === "PersistentVolume" ? name : `${namespace}/${name}`] };
}

interface PodOptions {
  volumes: Record<string, unknown>[];
  mounts?: string[];
  initMounts?: string[];
}

function pod(o: PodOptions): Pod {
  const mounts = (o.mounts ?? o.volumes.map((v) => String(v.name))).map((name) => ({ name, mountPath: `/${name}` }));
  const spec: Pod["spec"] = { containers: [{ name: "app", image: "nginx", volumeMounts: mounts }], volumes: o.volumes };
  if (o.initMounts) spec.initContainers = [{ name: "init", image: "busybox", volumeMounts: o.initMounts.map((name) => ({ name, mountPath: `/${name}` })) }];
  return { metadata: { name: "web", namespace: "st", uid: "pod-uid" }, spec };
}

const claimVolume = (name: string, claimName: string) => ({ name, persistentVolumeClaim: { claimName } });
const bound = (volumeName: string, uid = "claim-uid"): MountObject => ({ metadata: { uid }, spec: { volumeName }, status: { phase: "Bound" } });
const pvFor = (uid = "claim-uid"): MountObject => ({ spec: { claimRef: { uid } } });
const unableTo = (unmounted: string, failed: string, error: string) =>
  `Unable to attach or mount volumes: unmounted volumes=[${unmounted}], unattached volumes=[], failed to process volumes=[${failed}]: ${error}`;

const cases: { name: string; pod: Pod; objects: Objects; unmounted: string[]; messages: string[] }[] = [
  {
    name: "a bound claim whose volume names it mounts",
    pod: pod({ volumes: [claimVolume("data", "c")] }),
    objects: { PersistentVolumeClaim: { "st/c": bound("pv1") }, PersistentVolume: { pv1: pvFor() } },
    unmounted: [],
    messages: [],
  },
  {
    name: "a missing claim",
    pod: pod({ volumes: [claimVolume("data", "x")] }),
    objects: {},
    unmounted: ["data"],
    messages: [unableTo("data", "data", `error processing PVC st/x: failed to fetch PVC from API server: persistentvolumeclaims "x" not found`)],
  },
  {
    name: "an unbound claim",
    pod: pod({ volumes: [claimVolume("data", "c")] }),
    objects: { PersistentVolumeClaim: { "st/c": { metadata: { uid: "u" }, status: { phase: "Pending" } } } },
    unmounted: ["data"],
    messages: [unableTo("data", "data", "error processing PVC st/c: PVC is not bound")],
  },
  {
    name: "a claim being deleted",
    pod: pod({ volumes: [claimVolume("data", "c")] }),
    objects: { PersistentVolumeClaim: { "st/c": { ...bound("pv1"), metadata: { uid: "claim-uid", deletionTimestamp: "2025-01-01T00:00:00Z" } } } },
    unmounted: ["data"],
    messages: [unableTo("data", "data", "error processing PVC st/c: PVC is being deleted")],
  },
  {
    name: "a bound claim whose volume is gone",
    pod: pod({ volumes: [claimVolume("data", "c")] }),
    objects: { PersistentVolumeClaim: { "st/c": bound("pv1") } },
    unmounted: ["data"],
    messages: [unableTo("data", "data", `error processing PVC st/c: failed to fetch PV pv1 from API server: persistentvolumes "pv1" not found`)],
  },
  {
    name: "a volume bound to another claim",
    pod: pod({ volumes: [claimVolume("data", "c")] }),
    objects: { PersistentVolumeClaim: { "st/c": bound("pv1") }, PersistentVolume: { pv1: pvFor("other") } },
    unmounted: ["data"],
    messages: [unableTo("data", "data", "error processing PVC st/c: found PV object pv1 but its pv.Spec.ClaimRef.UID other does not point to claim.UID claim-uid")],
  },
  {
    name: "two claims failing: sorted names, errors joined by '; '",
    pod: pod({ volumes: [claimVolume("logs", "b"), claimVolume("data", "a")] }),
    objects: {},
    unmounted: ["data", "logs"],
    messages: [
      unableTo(
        "data logs",
        "data logs",
        `error processing PVC st/b: failed to fetch PVC from API server: persistentvolumeclaims "b" not found; error processing PVC st/a: failed to fetch PVC from API server: persistentvolumeclaims "a" not found`,
      ),
    ],
  },
  {
    name: "a claim no container mounts is not waited for",
    pod: pod({ volumes: [claimVolume("data", "x"), { name: "tmp", emptyDir: {} }], mounts: ["tmp"] }),
    objects: {},
    unmounted: [],
    messages: [],
  },
  {
    name: "a claim only an init container mounts is waited for",
    pod: pod({ volumes: [claimVolume("seed", "x")], mounts: [], initMounts: ["seed"] }),
    objects: {},
    unmounted: ["seed"],
    messages: [unableTo("seed", "seed", `error processing PVC st/x: failed to fetch PVC from API server: persistentvolumeclaims "x" not found`)],
  },
  {
    name: "a missing ConfigMap",
    pod: pod({ volumes: [{ name: "cfg", configMap: { name: "app" } }] }),
    objects: {},
    unmounted: ["cfg"],
    messages: [`MountVolume.SetUp failed for volume "cfg" : configmap "app" not found`],
  },
  {
    name: "a missing optional ConfigMap mounts empty",
    pod: pod({ volumes: [{ name: "cfg", configMap: { name: "app", optional: true } }] }),
    objects: {},
    unmounted: [],
    messages: [],
  },
  {
    name: "a ConfigMap without an item's key",
    pod: pod({ volumes: [{ name: "cfg", configMap: { name: "app", items: [{ key: "a.conf", path: "a" }, { key: "b.conf", path: "b" }] } }] }),
    objects: { ConfigMap: { "st/app": { data: { "a.conf": "x" } } } },
    unmounted: ["cfg"],
    messages: [`MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: b.conf`],
  },
  {
    name: "a ConfigMap item found in binaryData",
    pod: pod({ volumes: [{ name: "cfg", configMap: { name: "app", items: [{ key: "blob", path: "b" }] } }] }),
    objects: { ConfigMap: { "st/app": { binaryData: { blob: "AAAA" } } } },
    unmounted: [],
    messages: [],
  },
  {
    name: "a missing Secret",
    pod: pod({ volumes: [{ name: "tls", secret: { secretName: "certs" } }] }),
    objects: {},
    unmounted: ["tls"],
    messages: [`MountVolume.SetUp failed for volume "tls" : secret "certs" not found`],
  },
  {
    name: "a projected volume missing both sources",
    pod: pod({ volumes: [{ name: "all", projected: { sources: [{ configMap: { name: "a" } }, { secret: { name: "b" } }] } }] }),
    objects: {},
    unmounted: ["all"],
    messages: [`MountVolume.SetUp failed for volume "all" : [configmap "a" not found, secret "b" not found]`],
  },
  {
    name: "the API-access volume is not held back by kube-root-ca.crt",
    pod: pod({ volumes: [{ name: "kube-api-access-abcde", projected: { sources: [{ serviceAccountToken: { path: "token" } }, { configMap: { name: "kube-root-ca.crt" } }] } }] }),
    objects: {},
    unmounted: [],
    messages: [],
  },
  {
    name: "an unbound claim and a missing ConfigMap: both Events",
    pod: pod({ volumes: [{ name: "cfg", configMap: { name: "app" } }, claimVolume("data", "c")] }),
    objects: { PersistentVolumeClaim: { "st/c": { metadata: { uid: "u" }, status: { phase: "Pending" } } } },
    unmounted: ["cfg", "data"],
    messages: [unableTo("cfg data", "data", "error processing PVC st/c: PVC is not bound"), `MountVolume.SetUp failed for volume "cfg" : configmap "app" not found`],
  },
];

describe("checkMounts", () => {
  it.each(cases)("$name", ({ pod: p, objects, unmounted, messages }) => {
    const check = checkMounts(p, view(objects));
    expect(check.unmounted).toEqual(unmounted);
    expect(check.events.map((e) => e.message)).toEqual(messages);
    for (const e of check.events) expect(e.reason).toBe("FailedMount");
  });

  it("names every object the pod waits on, so their changes requeue it", () => {
    const p = pod({ volumes: [claimVolume("data", "c"), { name: "cfg", configMap: { name: "app" } }, { name: "tls", secret: { secretName: "certs" } }] });
    const check = checkMounts(p, view({ PersistentVolumeClaim: { "st/c": bound("pv1") } }));
    expect(check.dependsOn).toEqual(["PersistentVolumeClaim:st/c", "PersistentVolume:pv1", "ConfigMap:st/app", "Secret:st/certs"]);
  });
});

describe("needsMountCheck", () => {
  it.each([
    { name: "no volumes", volumes: [], want: false },
    { name: "emptyDir only", volumes: [{ name: "tmp", emptyDir: {} }], want: false },
    { name: "the API-access volume only", volumes: [{ name: "kube-api-access-x1y2z", projected: { sources: [] } }], want: false },
    { name: "a claim", volumes: [claimVolume("data", "c")], want: true },
    { name: "a ConfigMap", volumes: [{ name: "cfg", configMap: { name: "a" } }], want: true },
    { name: "a user projected volume", volumes: [{ name: "all", projected: { sources: [] } }], want: true },
  ])("$name → $want", ({ volumes, want }) => {
    expect(needsMountCheck(pod({ volumes }))).toBe(want);
  });

  it("expectedVolumes reads mounts and devices of every container", () => {
    const p = pod({ volumes: [], mounts: ["a"], initMounts: ["b"] });
    p.spec.containers[0].volumeDevices = [{ name: "c", devicePath: "/dev/c" }];
    expect([...expectedVolumes(p)].sort()).toEqual(["a", "b", "c"]);
  });
});
