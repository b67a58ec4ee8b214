// Other users of a test cluster than its admin: kubeconfigs that carry the cluster CA and one
// user entry (a token, or nothing) but no client certificate, written to a scratch folder in
// the cluster's data dir, and the real kubectl run with one of them.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import type { CliResult } from "./cli.js";
import { KUBECTL, runProcess, type TestCluster } from "./cluster.js";
import { credentialsFromKubeconfig } from "./tlsFetch.js";

export interface ClusterUsers {
  /** Writes NAME.kubeconfig for the given user entry (e.g. `{ token }`, or `{}` for none); answers its path. */
  kubeconfigFor(name: string, user: Record<string, string>): Promise<string>;
  /** kubectl with that kubeconfig (and a discovery cache of its own, apart from the admin's). */
  kubectlWith(kubeconfig: string, args: string[]): Promise<CliResult>;
}

export async function clusterUsers(c: TestCluster): Promise<ClusterUsers> {
  const scratch = path.join(c.dataDir, "scratch");
  await mkdir(scratch);
  return {
    async kubeconfigFor(name, user) {
      const { ca } = await credentialsFromKubeconfig(c.kubeconfig);
      const file = path.join(scratch, `${name}.kubeconfig`);
      const cluster = { server: c.url, "certificate-authority-data": Buffer.from(ca ?? "").toString("base64") };
      const config = { apiVersion: "v1", kind: "Config", clusters: [{ name: "c", cluster }], users: [{ name: "u", user }], contexts: [{ name: "c", context: { cluster: "c", user: "u", namespace: "default" } }], "current-context": "c" };
      await writeFile(file, stringify(config), { mode: 0o600 });
      return file;
    },
    kubectlWith: (kubeconfig, args) => runProcess(KUBECTL, ["--kubeconfig", kubeconfig, "--cache-dir", path.join(scratch, "cache"), ...args]),
  };
}
