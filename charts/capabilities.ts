// What templates see as `Capabilities` when no cluster is asked (`berth template`, `lint`):
// the Kubernetes version berth's built-in cluster speaks and the API versions it serves.
import semver from "semver";
import type { Capabilities } from "./model.js";
import { UsageError } from "../core/errors.js";

export const DEFAULT_KUBE_VERSION = "v1.32.0";

/** Group/versions every Kubernetes 1.32 cluster serves (Helm's DefaultVersionSet, trimmed to GA). */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  "v1",
  "admissionregistration.k8s.io/v1",
  "apiextensions.k8s.io/v1",
  "apiregistration.k8s.io/v1",
  "apps/v1",
  "authentication.k8s.io/v1",
  "authorization.k8s.io/v1",
  "autoscaling/v1",
  "autoscaling/v2",
  "batch/v1",
  "certificates.k8s.io/v1",
  "coordination.k8s.io/v1",
  "discovery.k8s.io/v1",
  "events.k8s.io/v1",
  "flowcontrol.apiserver.k8s.io/v1",
  "networking.k8s.io/v1",
  "node.k8s.io/v1",
  "policy/v1",
  "rbac.authorization.k8s.io/v1",
  "scheduling.k8s.io/v1",
  "storage.k8s.io/v1",
];

export interface CapabilitiesOptions {
  /** e.g. "1.29.3" or "v1.29.3"; default DEFAULT_KUBE_VERSION. */
  kubeVersion?: string;
  /** Extra "group/version" or "group/version/Kind" entries (`--api-versions`). */
  apiVersions?: readonly string[];
}

export function makeCapabilities(options: CapabilitiesOptions = {}): Capabilities {
  const raw = options.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const parsed = semver.coerce(raw, { includePrerelease: true });
  if (!parsed || !/^v?\d+\.\d+(\.\d+)?([-+].*)?$/.test(raw)) {
    throw new UsageError(`--kube-version: "${raw}" is not a Kubernetes version (expected e.g. v1.32.0)`);
  }
  const version = `v${parsed.major}.${parsed.minor}.${parsed.patch}`;
  return {
    KubeVersion: { Version: version, Major: String(parsed.major), Minor: String(parsed.minor), GitVersion: version },
    APIVersions: [...new Set([...DEFAULT_API_VERSIONS, ...(options.apiVersions ?? [])])],
    HelmVersion: { Version: "v3.16.0" },
  };
}
