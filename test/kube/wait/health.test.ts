import { describe, expect, it } from "vitest";
import type { Unstructured } from "../../../kube/client/index.js";
import { health, type HealthStatus } from "../../../kube/wait/index.js";

function obj(apiVersion: string, kind: string, rest: { generation?: number; spec?: unknown; status?: unknown; subsets?: unknown } = {}): Unstructured {
  const { generation, ...fields } = rest;
  return { apiVersion, kind, metadata: { name: "x", namespace: "ns", ...(generation ? { generation } : {}) }, ...fields };
}
const cond = (type: string, status: string, extra: Record<string, string> = {}) => ({ type, status, ...extra });

describe("health", () => {
  it.each<{ name: string; object: Unstructured | undefined; want: HealthStatus; message?: RegExp; endpoints?: Unstructured }>([
    { name: "missing", object: undefined, want: "Missing" },
    { name: "deployment not observed", object: obj("apps/v1", "Deployment", { generation: 2, spec: { replicas: 3 }, status: { observedGeneration: 1 } }), want: "Progressing", message: /observe/ },
    { name: "deployment updating", object: obj("apps/v1", "Deployment", { generation: 2, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 1 } }), want: "Progressing", message: /1 of 3 replicas updated/ },
    { name: "deployment old replicas", object: obj("apps/v1", "Deployment", { generation: 2, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 4, updatedReplicas: 3 } }), want: "Progressing", message: /old replicas/ },
    { name: "deployment unavailable", object: obj("apps/v1", "Deployment", { generation: 2, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 } }), want: "Progressing", message: /2 of 3 updated replicas available/ },
    { name: "deployment rolled out", object: obj("apps/v1", "Deployment", { generation: 2, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } }), want: "Healthy" },
    { name: "deployment default 1 replica", object: obj("apps/v1", "Deployment", { generation: 1, spec: {}, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } }), want: "Healthy" },
    { name: "deployment deadline exceeded", object: obj("apps/v1", "Deployment", { generation: 1, spec: {}, status: { observedGeneration: 1, conditions: [cond("Progressing", "False", { reason: "ProgressDeadlineExceeded" })] } }), want: "Degraded" },
    { name: "statefulset not ready", object: obj("apps/v1", "StatefulSet", { generation: 1, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 1 } }), want: "Progressing" },
    { name: "statefulset revision rolling", object: obj("apps/v1", "StatefulSet", { generation: 1, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: "a", updateRevision: "b" } }), want: "Progressing" },
    { name: "statefulset ready", object: obj("apps/v1", "StatefulSet", { generation: 1, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: "b", updateRevision: "b" } }), want: "Healthy" },
    { name: "daemonset updating", object: obj("apps/v1", "DaemonSet", { generation: 1, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2 } }), want: "Progressing" },
    { name: "daemonset ready", object: obj("apps/v1", "DaemonSet", { generation: 1, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 } }), want: "Healthy" },
    { name: "job running", object: obj("batch/v1", "Job", { status: { active: 1 } }), want: "Progressing" },
    { name: "job complete", object: obj("batch/v1", "Job", { status: { conditions: [cond("Complete", "True")] } }), want: "Healthy" },
    { name: "job failed", object: obj("batch/v1", "Job", { status: { conditions: [cond("Failed", "True", { reason: "BackoffLimitExceeded" })] } }), want: "Degraded", message: /BackoffLimitExceeded/ },
    { name: "pvc pending", object: obj("v1", "PersistentVolumeClaim", { status: { phase: "Pending" } }), want: "Progressing" },
    { name: "pvc bound", object: obj("v1", "PersistentVolumeClaim", { status: { phase: "Bound" } }), want: "Healthy" },
    { name: "service without endpoints", object: obj("v1", "Service", { spec: { selector: { app: "a" }, clusterIP: "10.0.0.1" } }), want: "Progressing", message: /no ready endpoints/ },
    { name: "service with endpoints", object: obj("v1", "Service", { spec: { selector: { app: "a" }, clusterIP: "10.0.0.1" } }), endpoints: obj("v1", "Endpoints", { subsets: [{ addresses: [{ ip: "10.1.0.1" }] }] }), want: "Healthy" },
    { name: "headless service", object: obj("v1", "Service", { spec: { selector: { app: "a" }, clusterIP: "None" } }), want: "Healthy" },
    { name: "externalname service", object: obj("v1", "Service", { spec: { type: "ExternalName", externalName: "db.example.com" } }), want: "Healthy" },
    { name: "pod not ready", object: obj("v1", "Pod", { status: { phase: "Running", conditions: [cond("Ready", "False")] } }), want: "Progressing" },
    { name: "pod ready", object: obj("v1", "Pod", { status: { phase: "Running", conditions: [cond("Ready", "True")] } }), want: "Healthy" },
    { name: "pod crash looping", object: obj("v1", "Pod", { status: { phase: "Running", containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } } }] } }), want: "Degraded", message: /app: CrashLoopBackOff/ },
    { name: "crd pending", object: obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", { status: {} }), want: "Progressing" },
    { name: "crd established", object: obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", { status: { conditions: [cond("Established", "True")] } }), want: "Healthy" },
    { name: "unknown kind exists", object: obj("example.com/v1", "Widget"), want: "Healthy" },
  ])("$name", ({ object, want, message, endpoints }) => {
    const got = health(object, { endpoints });
    expect(got.status).toBe(want);
    if (message) expect(got.message).toMatch(message);
  });
});
