// The kubeconfig `berth cluster up` writes: one cluster, user and context, all named "berth".
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

export const CONTEXT_NAME = "berth";

export function kubeconfigYaml(server: string): string {
  const cluster: Record<string, unknown> = { server };
  // @kubernetes/client-node refuses plain http:// unless TLS verification is off; kubectl
  // ignores the flag for http. Goes away when the cluster serves HTTPS with its own CA.
  if (server.startsWith("http://")) cluster["insecure-skip-tls-verify"] = true;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: CONTEXT_NAME, cluster }],
    users: [{ name: CONTEXT_NAME, user: {} }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: "default" } }],
    "current-context": CONTEXT_NAME,
    preferences: {},
  });
}

/** Writes atomically (temp file + rename) so a reader never sees half a kubeconfig. */
export async function writeKubeconfig(file: string, server: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, kubeconfigYaml(server), { mode: 0o600 });
  await rename(tmp, file);
}
