// `berth controller run`: the GitOps controller alone, against any cluster a kubeconfig names,
// with its HTTP server (/metrics, /healthz, POST /api/webhook, hosted repositories under /git/).
// Runs until SIGINT / SIGTERM.
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { globalOptions } from "./globals.js";

interface RunFlags {
  port: string;
  dataDir?: string;
  workers: string;
  webhookSecret?: string;
  hostedToken?: string;
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
    .action(async (flags: RunFlags, cmd: Command) => {
      const g = globalOptions(cmd);
      const port = positiveInt(flags.port, "--port", 0);
      const workers = positiveInt(flags.workers, "--workers", 1);
      const [{ createKubeClient }, { startControllerStack, defaultControllerDataDir }] = await Promise.all([import("../kube/client/index.js"), import("../controller/stack.js")]);
      const client = createKubeClient({ kubeconfig: g.kubeconfig, context: g.context });
      const dataDir = flags.dataDir ?? defaultControllerDataDir();
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const stack = await startControllerStack({
        client,
        dataDir,
        port,
        workers,
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
}
