// Defaults the way Kubernetes fills them in, so objects read back look like a real cluster's
// (and kubectl's three-way merge sees the same live state).
import { arrayOf, child, getPath, isObject, type JsonObject } from "../object.js";
import { defaultCronJob, defaultJob } from "./batch.js";

type Defaulter = (obj: JsonObject) => void;

function setDefault(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined) obj[key] = value;
}

function defaultContainers(list: unknown[]): void {
  for (const c of list) {
    if (!isObject(c)) continue;
    setDefault(c, "terminationMessagePath", "/dev/termination-log");
    setDefault(c, "terminationMessagePolicy", "File");
    const image = typeof c.image === "string" ? c.image : "";
    setDefault(c, "imagePullPolicy", image.endsWith(":latest") || !/:[^/]+$/.test(image) ? "Always" : "IfNotPresent");
    setDefault(c, "resources", {});
    for (const p of arrayOf(c.ports)) if (isObject(p)) setDefault(p, "protocol", "TCP");
  }
}

export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "schedulerName", "default-scheduler");
  setDefault(spec, "securityContext", {});
  defaultContainers(arrayOf(spec.containers));
  defaultContainers(arrayOf(spec.initContainers));
}

/** A strategy sent as {} (protobuf and typed clients always send the struct) still defaults. */
function defaultStrategy(spec: JsonObject, key: string, rollingUpdate: JsonObject): void {
  const strategy = child(spec, key);
  setDefault(strategy, "type", "RollingUpdate");
  if (strategy.type !== "RollingUpdate") return;
  const ru = child(strategy, "rollingUpdate");
  for (const [k, v] of Object.entries(rollingUpdate)) setDefault(ru, k, v);
}

function defaultTemplate(obj: JsonObject, path: string[]): void {
  const spec = getPath(obj, path);
  if (isObject(spec)) defaultPodSpec(spec);
}

const DEFAULTERS: Record<string, Defaulter> = {
  Pod(obj) {
    defaultPodSpec(child(obj, "spec"));
    setDefault(child(obj, "status"), "phase", "Pending");
  },
  Service(obj) {
    const spec = child(obj, "spec");
    setDefault(spec, "type", "ClusterIP");
    setDefault(spec, "sessionAffinity", "None");
    if (spec.type === "ClusterIP" || spec.type === "NodePort" || spec.type === "LoadBalancer") {
      setDefault(spec, "internalTrafficPolicy", "Cluster");
      setDefault(spec, "ipFamilyPolicy", "SingleStack");
      setDefault(spec, "ipFamilies", ["IPv4"]);
    }
    for (const p of arrayOf(spec.ports)) {
      if (!isObject(p)) continue;
      setDefault(p, "protocol", "TCP");
      setDefault(p, "targetPort", p.port);
    }
    setDefault(obj, "status", { loadBalancer: {} });
  },
  Namespace(obj) {
    setDefault(child(obj, "spec"), "finalizers", ["kubernetes"]);
    setDefault(child(obj, "status"), "phase", "Active");
  },
  Deployment(obj) {
    const spec = child(obj, "spec");
    setDefault(spec, "replicas", 1);
    defaultStrategy(spec, "strategy", { maxUnavailable: "25%", maxSurge: "25%" });
    setDefault(spec, "revisionHistoryLimit", 10);
    setDefault(spec, "progressDeadlineSeconds", 600);
    defaultTemplate(obj, ["spec", "template", "spec"]);
  },
  ReplicaSet(obj) {
    setDefault(child(obj, "spec"), "replicas", 1);
    defaultTemplate(obj, ["spec", "template", "spec"]);
  },
  StatefulSet(obj) {
    const spec = child(obj, "spec");
    setDefault(spec, "replicas", 1);
    setDefault(spec, "podManagementPolicy", "OrderedReady");
    defaultStrategy(spec, "updateStrategy", { partition: 0 });
    setDefault(spec, "revisionHistoryLimit", 10);
    defaultTemplate(obj, ["spec", "template", "spec"]);
  },
  DaemonSet(obj) {
    const spec = child(obj, "spec");
    defaultStrategy(spec, "updateStrategy", { maxUnavailable: 1, maxSurge: 0 });
    setDefault(spec, "revisionHistoryLimit", 10);
    defaultTemplate(obj, ["spec", "template", "spec"]);
  },
  Job: (obj) => defaultJob(obj, defaultPodSpec),
  CronJob: (obj) => defaultCronJob(obj, defaultPodSpec),
  Secret(obj) {
    setDefault(obj, "type", "Opaque");
  },
  PersistentVolumeClaim(obj) {
    setDefault(child(obj, "spec"), "volumeMode", "Filesystem");
    setDefault(child(obj, "status"), "phase", "Pending");
  },
  PersistentVolume(obj) {
    setDefault(child(obj, "spec"), "persistentVolumeReclaimPolicy", "Retain");
    setDefault(child(obj, "spec"), "volumeMode", "Filesystem");
    setDefault(child(obj, "status"), "phase", "Pending");
  },
  StorageClass(obj) {
    setDefault(obj, "reclaimPolicy", "Delete");
    setDefault(obj, "volumeBindingMode", "Immediate");
  },
};

export function applyDefaults(kind: string, obj: JsonObject): void {
  DEFAULTERS[kind]?.(obj);
}
