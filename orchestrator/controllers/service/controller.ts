// The `kubernetes` Service in default, at the first IP of the service range, with Endpoints
// and an EndpointSlice pointing at the API server (kube-apiserver's bootstrap controller does
// this in Kubernetes; here the controller manager does, since only it knows the address the
// components reach the API server at). Allocation of every other Service's IP and node ports
// happens in the API server (orchestrator/apiserver/admission/serviceAlloc.ts).
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, type KubeClient } from "../../../kube/client/index.js";
import { canonicalJson } from "../shared/hash.js";

export const KUBERNETES_SERVICE_IP = "10.96.0.1";
const RESYNC_MS = 60_000;
const KEY = "default/kubernetes";

export interface KubernetesServiceOptions {
  client: KubeClient;
  clock: Clock;
  /** The API server URL the components use. */
  server: string;
  onError?: (message: string) => void;
}

export function apiServerAddress(server: string): { ip: string; port: number } {
  const url = new URL(server);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : "127.0.0.1";
  const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return { ip, port };
}

export function startKubernetesServiceController(options: KubernetesServiceOptions): RunningController {
  const controller = runController({
    clock: options.clock,
    reconcile: async () => {
      await ensureKubernetesService(options);
      return { requeueAfter: RESYNC_MS };
    },
    onError: (f) => options.onError?.(`kubernetes service: ${String(f.error)}`),
  });
  controller.queue.add(KEY);
  return controller;
}

interface Wanted {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  [field: string]: unknown;
}

async function createOrUpdate(client: KubeClient, want: Wanted, fields: string[]): Promise<void> {
  const current = await client.tryGet({ apiVersion: want.apiVersion, kind: want.kind, namespace: want.metadata.namespace, name: want.metadata.name });
  if (!current) {
    try {
      await client.create(want);
    } catch (err) {
      if (apiStatusOf(err)?.code !== 409) throw err;
    }
    return;
  }
  if (fields.every((f) => canonicalJson(current[f]) === canonicalJson(want[f]))) return;
  const next: Record<string, unknown> = {};
  for (const f of fields) next[f] = want[f];
  await client.update({ ...current, ...next });
}

export async function ensureKubernetesService(options: KubernetesServiceOptions): Promise<void> {
  const { ip, port } = apiServerAddress(options.server);
  const metadata = { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } };
  const current = await options.client.tryGet({ apiVersion: "v1", kind: "Service", namespace: "default", name: "kubernetes" });
  if (!current) {
    const spec = { type: "ClusterIP", clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: port }], sessionAffinity: "None" };
    try {
      await options.client.create({ apiVersion: "v1", kind: "Service", metadata, spec });
    } catch (err) {
      if (apiStatusOf(err)?.code !== 409) throw err;
    }
  }
  const ports = [{ name: "https", port, protocol: "TCP" }];
  const endpoints: Wanted = { apiVersion: "v1", kind: "Endpoints", metadata: { ...metadata, labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } }, subsets: [{ addresses: [{ ip }], ports }] };
  await createOrUpdate(options.client, endpoints, ["subsets"]);
  const slice: Wanted = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { ...metadata, labels: { "kubernetes.io/service-name": "kubernetes" } },
    addressType: "IPv4",
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports,
  };
  await createOrUpdate(options.client, slice, ["endpoints", "ports"]);
}
