// kubeconfig loading with kubectl's precedence rules, on client-node's parser:
//   1. --kubeconfig FILE: that file only, and it must exist;
//   2. KUBECONFIG=a:b:c: every existing file, merged so the FIRST file to define a cluster,
//      user or context (by name), or a current-context, wins; missing files are skipped;
//   3. ~/.kube/config.
// --context picks a context by name; the namespace is -n, else the context's, else "default".
// client-node's own loadFromDefault merges differently (later current-context wins, duplicate
// names throw), which is why the merge is done here.
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeError, NotFoundError, UsageError } from "../../core/errors.js";

export interface LoadKubeConfigOptions {
  /** --kubeconfig: a single file that replaces KUBECONFIG and ~/.kube/config. */
  kubeconfig?: string;
  /** --context: the context to use instead of current-context. */
  context?: string;
  /** -n: overrides the context's namespace. */
  namespace?: string;
  /** Environment to read KUBECONFIG and HOME from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  /** The context in use. */
  context: string;
  /** The API server URL of the context's cluster. */
  server: string;
  /** The namespace commands default to. */
  namespace: string;
  /** The files read, in precedence order. */
  files: string[];
}

export function loadKubeConfig(options: LoadKubeConfigOptions = {}): LoadedKubeConfig {
  const files = configFiles(options);
  const kc = mergeFiles(files);
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new NotFoundError(`context "${options.context}" not found in kubeconfig ${files.join(path.delimiter)}`, {
        hint: known.length > 0 ? `known contexts: ${known.join(", ")}` : "the kubeconfig defines no contexts",
      });
    }
    kc.setCurrentContext(options.context);
  }
  const contextName = kc.getCurrentContext();
  const context = contextName ? kc.getContextObject(contextName) : null;
  if (!context) {
    throw new KubeError(`kubeconfig ${files.join(path.delimiter)} has no current context`, { hint: "pass --context NAME" });
  }
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) {
    throw new KubeError(`context "${context.name}" names cluster "${context.cluster}", which the kubeconfig does not define`);
  }
  const namespace = options.namespace || context.namespace || "default";
  return { kubeConfig: kc, context: context.name, server: cluster.server, namespace, files };
}

function configFiles(options: LoadKubeConfigOptions): string[] {
  const env = options.env ?? process.env;
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) {
      throw new UsageError(`--kubeconfig ${options.kubeconfig}: no such file`);
    }
    return [options.kubeconfig];
  }
  const fromEnv = (env.KUBECONFIG ?? "").split(path.delimiter).filter((f) => f !== "");
  if (fromEnv.length > 0) {
    const existing = fromEnv.filter((f) => existsSync(f));
    if (existing.length === 0) throw new KubeError(`KUBECONFIG=${env.KUBECONFIG}: none of these files exists`);
    return existing;
  }
  const home = env.HOME ?? os.homedir();
  const fallback = path.join(home, ".kube", "config");
  if (!existsSync(fallback)) {
    throw new KubeError("no kubeconfig: none given with --kubeconfig, KUBECONFIG is unset and ~/.kube/config does not exist", {
      hint: "run `berth cluster up` and export the KUBECONFIG it prints, or pass --kubeconfig FILE",
    });
  }
  return [fallback];
}

function mergeFiles(files: string[]): KubeConfig {
  const merged = new KubeConfig();
  let current = "";
  for (const file of files) {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (err) {
      throw new KubeError(`kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const c of kc.getClusters()) {
      // kubectl talks plain HTTP to an http:// server without further ado; client-node refuses
      // unless TLS verification is off, which means nothing without TLS anyway.
      if (!merged.getCluster(c.name)) merged.addCluster({ ...c, skipTLSVerify: c.skipTLSVerify || c.server.startsWith("http://") });
    }
    for (const u of kc.getUsers()) if (!merged.getUser(u.name)) merged.addUser(u);
    for (const c of kc.getContexts()) if (!merged.getContextObject(c.name)) merged.addContext(c);
    if (current === "" && kc.getCurrentContext()) current = kc.getCurrentContext();
  }
  if (current !== "") merged.setCurrentContext(current);
  return merged;
}
