// The endpoints and endpointslice controllers in one loop: per Service key, compute the
// desired Endpoints and slices from the pod and node caches and converge what the API holds.
// Slices are matched to the existing ones in name order and rewritten in place, so a pod
// coming or going touches one slice rather than recreating them all.
import type { V1Pod, V1Service } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, isRecord, type Informer, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { canonicalJson } from "../shared/hash.js";
import { objectKey, splitKey } from "../shared/ownerRefs.js";
import { desiredSlices, endpointSubsets, managedLabels, MANAGED_BY, MANAGED_BY_LABEL, podMatches, selectorOf, SERVICE_NAME_LABEL, zonesOf, type SliceContent } from "./compute.js";

export interface EndpointsControllerOptions {
  client: KubeClient;
  clock: Clock;
  services: Informer;
  pods: Informer;
  nodes: Informer;
  workers?: number;
  onError?: (message: string) => void;
}

const ENDPOINTS = { apiVersion: "v1", kind: "Endpoints" };
const SLICE = { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" };

export function startEndpointsController(options: EndpointsControllerOptions): RunningController {
  const controller = runController({
    clock: options.clock,
    workers: options.workers ?? 2,
    reconcile: (key) => reconcileService(options, key),
    onError: (f) => options.onError?.(`endpoints ${f.key}: ${String(f.error)}`),
  });
  const enqueue = (key: string) => controller.queue.add(key);
  options.services.addHandlers({ add: (s) => enqueue(objectKey(s)), update: (_o, s) => enqueue(objectKey(s)), delete: (s) => enqueue(objectKey(s)) });
  // A pod matters to every Service in its namespace that selects it now or selected it before.
  const onPod = (...pods: V1Pod[]): void => {
    for (const svc of options.services.list()) {
      const selector = selectorOf(svc);
      if (!selector || svc.metadata.namespace !== pods[0].metadata?.namespace) continue;
      if (pods.some((p) => podMatches(selector, p.metadata?.labels))) enqueue(objectKey(svc));
    }
  };
  options.pods.addHandlers({ add: (p) => onPod(p), update: (o, p) => onPod(o, p), delete: (p) => onPod(p) });
  return controller;
}

export async function reconcileService(ctx: EndpointsControllerOptions, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const service: V1Service | undefined = ctx.services.get(key);
  if (!service) {
    // Slices go with the Service through their ownerReference; Endpoints have none.
    await ignoreNotFound(ctx.client.delete({ ...ENDPOINTS, namespace, name }));
    return;
  }
  if (!selectorOf(service)) return;
  const pods: V1Pod[] = ctx.pods.list().filter((p) => p.metadata.namespace === namespace);
  await syncEndpoints(ctx, service, pods);
  await syncSlices(ctx, service, desiredSlices(service, pods, zonesOf(ctx.nodes.list())));
}

async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (apiStatusOf(err)?.code === 404) return undefined;
    throw err;
  }
}

async function syncEndpoints(ctx: EndpointsControllerOptions, service: V1Service, pods: V1Pod[]): Promise<void> {
  const namespace = service.metadata?.namespace;
  const name = service.metadata?.name ?? "";
  const subsets = endpointSubsets(service, pods);
  const labels = managedLabels(service, false);
  const current = await ctx.client.tryGet({ ...ENDPOINTS, namespace, name });
  if (!current) {
    await ctx.client.create({ ...ENDPOINTS, metadata: { name, namespace, labels }, subsets });
    return;
  }
  if (canonicalJson(current.subsets ?? []) === canonicalJson(subsets) && canonicalJson(current.metadata.labels ?? {}) === canonicalJson(labels)) return;
  await ctx.client.update({ ...current, metadata: { ...current.metadata, labels }, subsets });
}

interface SliceObject {
  apiVersion: string;
  kind: string;
  metadata: { generateName: string; namespace?: string; labels: Record<string, string>; ownerReferences: unknown[] };
  addressType: string;
  endpoints: unknown[];
  ports: unknown[];
}

function sliceObject(service: V1Service, content: SliceContent): SliceObject {
  const name = service.metadata?.name ?? "";
  return {
    ...SLICE,
    metadata: {
      generateName: `${name}-`,
      namespace: service.metadata?.namespace,
      labels: managedLabels(service, true),
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name, uid: service.metadata?.uid ?? "", controller: true, blockOwnerDeletion: true }],
    },
    addressType: "IPv4",
    endpoints: content.endpoints,
    ports: content.ports,
  };
}

function sameSlice(current: Unstructured, want: SliceObject): boolean {
  return (
    canonicalJson(current.endpoints ?? []) === canonicalJson(want.endpoints) &&
    canonicalJson(current.ports ?? []) === canonicalJson(want.ports) &&
    canonicalJson(current.metadata.labels ?? {}) === canonicalJson(want.metadata.labels)
  );
}

function ownedBy(obj: Unstructured, uid: string | undefined): boolean {
  const refs: unknown = obj.metadata.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => isRecord(r) && r.uid === uid);
}

async function syncSlices(ctx: EndpointsControllerOptions, service: V1Service, desired: SliceContent[]): Promise<void> {
  const namespace = service.metadata?.namespace;
  const selector = `${SERVICE_NAME_LABEL}=${service.metadata?.name ?? ""},${MANAGED_BY_LABEL}=${MANAGED_BY}`;
  const { items } = await ctx.client.list(SLICE, { namespace, labelSelector: selector });
  const existing = items
    .filter((s) => ownedBy(s, service.metadata?.uid))
    .sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  for (let i = 0; i < Math.max(existing.length, desired.length); i++) {
    const current = existing[i];
    const content = desired[i];
    if (!content) {
      await ignoreNotFound(ctx.client.delete({ ...SLICE, namespace, name: current.metadata.name ?? "" }));
      continue;
    }
    const want = sliceObject(service, content);
    if (!current) await ctx.client.create(want);
    else if (!sameSlice(current, want)) {
      await ctx.client.update({ ...current, metadata: { ...current.metadata, labels: want.metadata.labels }, endpoints: want.endpoints, ports: want.ports });
    }
  }
}
