// `berth controller run`: the GitOps controller alone, against any cluster a kubeconfig names,
// with its HTTP server (/metrics, /healthz, POST /api/webhook, hosted repositories under /git/).
// Runs until SIGINT / SIGTERM. Before starting it checks its identity's rights (see
// controller/rbac.ts); `berth controller rbac` prints the RBAC an admin applies for it.
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { RbacRule } from "../controller/rbac.js";
import { stringify } from "yaml";
import { globalOptions } from "./globals.js";
import { parseDuration } from "./releaseSupport.js";

interface RunFlags {
  port: string;
  dataDir?: string;
  workers: string;
  webhookSecret?: string;
  hostedToken?: string;
  syncTimeout: string;
}

function positiveInt(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag}: expected an integer ≥ ${min}, got "${text}"`);
  return n;
}

export function registerControllerCommands(program: Command): void {
  const controller = program.command("controller").description("the GitOps controller");
  controller
    .command("run")
    .description("run the GitOps controller against the cluster of the kubeconfig")
    .option("--port <n>", "port of the HTTP server (metrics, webhooks, hosted git); 0 picks one", "8090")
    .option("--data-dir <dir>", "hosted repositories, their token and the git cache (default $XDG_DATA_HOME/berth/gitops)")
    .option("--workers <n>", "apps reconciled at once", "8")
    .option("--webhook-secret <secret>", "secret of webhook signatures (default $BERTH_WEBHOOK_SECRET)")
    .option("--hosted-token <token>", "token for pushes to hosted repositories (default $BERTH_HOSTED_TOKEN, else generated into DATA_DIR/hosted-token)")
    .option("--sync-timeout <d>", "a sync attempt still running after this long fails, e.g. 10m (0: never)", "10m")
    .action(async (flags: RunFlags, cmd: Command) => {
      const g = globalOptions(cmd);
      const port = positiveInt(flags.port, "--port", 0);
      const workers = positiveInt(flags.workers, "--workers", 1);
      const syncTimeoutMs = parseDuration(flags.syncTimeout, "--sync-timeout");
      const [{ createKubeClient }, { startControllerStack, defaultControllerDataDir }, { ensureControllerRbac }] = await Promise.all([import("../kube/client/index.js"), import("../controller/stack.js"), import("../controller/rbac.js")]);
      const client = createKubeClient({ kubeconfig: g.kubeconfig, context: g.context });
      const dataDir = flags.dataDir ?? defaultControllerDataDir();
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      await ensureControllerRbac({ client, roles: await controllerRoles(), log });
      const stack = await startControllerStack({
        client,
        dataDir,
        port,
        workers,
        syncTimeoutMs,
        webhookSecret: flags.webhookSecret ?? process.env.BERTH_WEBHOOK_SECRET,
        hostedToken: flags.hostedToken ?? process.env.BERTH_HOSTED_TOKEN,
        log,
      });
      const address = stack.url;
      process.stdout.write(`berth controller running; metrics at ${address}/metrics, webhooks at ${address}/api/webhook, hosted git at ${address}/git/NAME.git\n`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await stack.stop();
    });
  controller
    .command("rbac")
    .description("print the ClusterRoles and ClusterRoleBindings the controller needs (apply them as an admin)")
    .option("--user <name>", "the controller's user", "system:berth:gitops-controller")
    .action(async (flags: { user: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const { controllerRbacObjects } = await import("../controller/rbac.js");
      const objects = controllerRbacObjects({ user: flags.user, roles: await controllerRoles() });
      if (g.output === "json") return void process.stdout.write(`${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2)}\n`);
      process.stdout.write(objects.map((o) => stringify(o)).join("---\n"));
    });
}

/** berth's own definitions of the controller's roles (the built-in cluster has them already). */
async function controllerRoles(): Promise<{ cluster: RbacRule[]; namespaces: RbacRule[] }> {
  const [{ SYSTEM_ROLES }, { CLUSTER_ROLE, NAMESPACE_ROLE }] = await Promise.all([import("../orchestrator/auth/rbac/bootstrap/systemRoles.js"), import("../controller/rbac.js")]);
  const rules = (name: string): RbacRule[] => SYSTEM_ROLES.find((r) => r.name === name)?.rules ?? [];
  return { cluster: rules(CLUSTER_ROLE), namespaces: rules(NAMESPACE_ROLE) };
}
