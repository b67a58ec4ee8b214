// The GitOps controller's identity on the built-in cluster: a client certificate for
// system:berth:gitops-controller issued from the cluster's CA (as for the cluster's own
// components, never admin), and a ClusterRoleBinding of the namespaced role
// berth:gitops-controller, which the cluster defines but leaves unbound: the quick start lets
// the controller deploy namespaced objects in every namespace (Argo CD's default is wider:
// cluster-admin), and nothing cluster-scoped beyond its own CRD and Applications.
import { realClock } from "../core/clock.js";
import { apiStatusOf, type KubeClient } from "../kube/client/index.js";
import { GITOPS_CONTROLLER_IDENTITY } from "../orchestrator/auth/identities.js";
import { issueClientCert } from "../orchestrator/auth/pki/certs.js";
import { loadOrCreatePki } from "../orchestrator/auth/pki/files.js";
import { writeKubeconfig } from "../orchestrator/cluster/index.js";

export const CONTROLLER_BINDING = "berth:gitops-controller:namespaces";

/** Writes a kubeconfig (0600) for the GitOps controller's identity on the cluster at `url`. */
export async function writeControllerKubeconfig(options: { clusterDataDir: string; url: string; file: string }): Promise<void> {
  // The cluster made its PKI at start; this loads it (the CA key never leaves the data dir).
  const pki = await loadOrCreatePki(options.clusterDataDir, { now: realClock.now() });
  const pair = await issueClientCert(pki.ca, GITOPS_CONTROLLER_IDENTITY, { now: realClock.now(), validDays: 365 });
  await writeKubeconfig(options.file, options.url, { caPem: pki.ca.certPem, certPem: pair.certPem, keyPem: pair.keyPem });
}

/** As admin: binds berth:gitops-controller to the controller's user in every namespace (idempotent). */
export async function bindControllerRole(admin: KubeClient): Promise<void> {
  const binding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: CONTROLLER_BINDING },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "berth:gitops-controller" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: GITOPS_CONTROLLER_IDENTITY.commonName }],
  };
  try {
    await admin.create(binding);
  } catch (err) {
    if (apiStatusOf(err)?.code !== 409) throw err;
  }
}
