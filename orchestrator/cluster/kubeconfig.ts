// The kubeconfig `berth cluster up` writes: one cluster, user and context, all named "berth".
// Over HTTPS it carries the cluster CA and a client certificate; plain http (--insecure-http)
// has no credentials at all.
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

export const CONTEXT_NAME = "berth";

/** PEM material: the CA that signed the serving certificate, and a client certificate + key. */
export interface ClusterCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function b64(pem: string): string {
  return Buffer.from(pem, "utf8").toString("base64");
}

export function kubeconfigYaml(server: string, credentials?: ClusterCredentials): string {
  const cluster: Record<string, unknown> = { server };
  const user: Record<string, unknown> = {};
  if (credentials) {
    cluster["certificate-authority-data"] = b64(credentials.caPem);
    user["client-certificate-data"] = b64(credentials.certPem);
    user["client-key-data"] = b64(credentials.keyPem);
  } else if (server.startsWith("http://")) {
    // @kubernetes/client-node refuses plain http:// unless TLS verification is off; kubectl
    // ignores the flag for http. Only the explicit --insecure-http mode gets here.
    cluster["insecure-skip-tls-verify"] = true;
  }
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: CONTEXT_NAME, cluster }],
    users: [{ name: CONTEXT_NAME, user }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: "default" } }],
    "current-context": CONTEXT_NAME,
    preferences: {},
  });
}

/** Writes atomically (temp file + rename, mode 0600: it holds a private key). */
export async function writeKubeconfig(file: string, server: string, credentials?: ClusterCredentials): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, kubeconfigYaml(server, credentials), { mode: 0o600 });
  await rename(tmp, file);
}
