// What a Service's Endpoints and EndpointSlices should hold, as pure functions of the Service,
// its namespace's pods and the nodes' zones (after pkg/controller/endpoint and
// pkg/controller/endpointslice): pods matching the selector with an IP, ready or not,
// ports resolved per pod (a named targetPort may differ between pods), grouped by port set.
import type { V1Endpoint, DiscoveryV1EndpointPort, V1EndpointAddress, CoreV1EndpointPort, V1EndpointSubset, V1Pod, V1Service, V1ServicePort } from "@kubernetes/client-node";

export const MAX_ENDPOINTS_PER_SLICE = 100;
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const MANAGED_BY = "endpointslice-controller.k8s.io";
export const HEADLESS_LABEL = "service.kubernetes.io/headless";
const ZONE_LABEL = "topology.kubernetes.io/zone";

export function selectorOf(service: V1Service): Record<string, string> | undefined {
  const selector = service.spec?.selector;
  if (service.spec?.type === "ExternalName" || !selector || Object.keys(selector).length === 0) return undefined;
  return selector;
}

export function podMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The pod's port for one Service port, or undefined when a named targetPort is not declared. */
export function resolvePort(pod: V1Pod, port: V1ServicePort): number | undefined {
  const target: unknown = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  if (typeof target === "string" && /^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? "TCP";
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
  }
  return undefined;
}

interface PodEndpoint {
  pod: V1Pod;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: CoreV1EndpointPort[];
  portKey: string;
}

function podReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

function endpointOf(service: V1Service, pod: V1Pod): PodEndpoint | undefined {
  if (!pod.status?.podIP || pod.status.phase === "Succeeded" || pod.status.phase === "Failed") return undefined;
  const ports: CoreV1EndpointPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = resolvePort(pod, sp);
    if (port === undefined) continue;
    ports.push({ name: sp.name, port, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  const publish = service.spec?.publishNotReadyAddresses === true;
  const terminating = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  const serving = publish || podReady(pod);
  return { pod, ready: serving && !terminating, serving, terminating, ports, portKey: JSON.stringify(ports) };
}

function podEndpoints(service: V1Service, pods: V1Pod[]): PodEndpoint[] {
  const selector = selectorOf(service);
  if (!selector) return [];
  const ns = service.metadata?.namespace;
  return pods
    .filter((p) => p.metadata?.namespace === ns && podMatches(selector, p.metadata?.labels))
    .flatMap((p) => endpointOf(service, p) ?? [])
    .sort((a, b) => (a.pod.metadata?.name ?? "").localeCompare(b.pod.metadata?.name ?? ""));
}

function targetRef(pod: V1Pod) {
  return { kind: "Pod", namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
}

/** A pod's DNS hostname under a headless Service's subdomain. */
function hostnameFor(service: V1Service, pod: V1Pod): string | undefined {
  return pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name ? pod.spec.hostname : undefined;
}

function groupBy<T>(items: T[], keyOf: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/** Endpoints subsets: terminating pods left out, as the endpoints controller does. */
export function endpointSubsets(service: V1Service, pods: V1Pod[]): V1EndpointSubset[] {
  const eps = podEndpoints(service, pods).filter((e) => !e.terminating && e.ports.length > 0);
  const subsets: V1EndpointSubset[] = [];
  for (const group of groupBy(eps, (e) => e.portKey).values()) {
    const address = (e: PodEndpoint): V1EndpointAddress => {
      const hostname = hostnameFor(service, e.pod);
      return { ip: e.pod.status?.podIP ?? "", nodeName: e.pod.spec?.nodeName, targetRef: targetRef(e.pod), ...(hostname ? { hostname } : {}) };
    };
    const byIp = (a: V1EndpointAddress, b: V1EndpointAddress) => a.ip.localeCompare(b.ip);
    const subset: V1EndpointSubset = { ports: group[0].ports };
    const ready = group.filter((e) => e.ready).map(address).sort(byIp);
    const notReady = group.filter((e) => !e.ready).map(address).sort(byIp);
    if (ready.length > 0) subset.addresses = ready;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    subsets.push(subset);
  }
  return subsets;
}

export interface SliceContent {
  ports: DiscoveryV1EndpointPort[];
  endpoints: V1Endpoint[];
}

/** Slice contents: one group per port set, at most 100 endpoints each; never none (an empty placeholder). */
export function desiredSlices(service: V1Service, pods: V1Pod[], zones: ReadonlyMap<string, string>): SliceContent[] {
  const eps = podEndpoints(service, pods);
  const slices: SliceContent[] = [];
  for (const group of groupBy(eps, (e) => e.portKey).values()) {
    const endpoints = group.map((e): V1Endpoint => {
      const node = e.pod.spec?.nodeName;
      const zone = node ? zones.get(node) : undefined;
      const hostname = hostnameFor(service, e.pod);
      return {
        addresses: [e.pod.status?.podIP ?? ""],
        conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
        ...(hostname ? { hostname } : {}),
        ...(node ? { nodeName: node } : {}),
        ...(zone ? { zone } : {}),
        targetRef: targetRef(e.pod),
      };
    });
    for (let i = 0; i < endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      slices.push({ ports: group[0].ports, endpoints: endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  return slices.length > 0 ? slices : [{ ports: [], endpoints: [] }];
}

export function zonesOf(nodes: { metadata?: { name?: string; labels?: Record<string, string> } }[]): Map<string, string> {
  const zones = new Map<string, string>();
  for (const n of nodes) {
    const zone = n.metadata?.labels?.[ZONE_LABEL];
    if (n.metadata?.name && zone) zones.set(n.metadata.name, zone);
  }
  return zones;
}

/** Labels of the Endpoints and slices: the Service's own, plus the ones Kubernetes adds. */
export function managedLabels(service: V1Service, forSlice: boolean): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  if (service.spec?.clusterIP === "None") labels[HEADLESS_LABEL] = "";
  if (forSlice) {
    labels[SERVICE_NAME_LABEL] = service.metadata?.name ?? "";
    labels[MANAGED_BY_LABEL] = MANAGED_BY;
  }
  return labels;
}
