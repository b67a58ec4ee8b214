// `berth controller run`: the GitOps controller alone, against any cluster a kubeconfig names,
// with its HTTP server (/metrics, /healthz, POST /api/webhook). Runs until SIGINT / SIGTERM.
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { globalOptions } from "./globals.js";

interface RunFlags {
  port: string;
  dataDir?: string;
  workers: string;
  webhookSecret?: string;
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
    .option("--port <n>", "port of the HTTP server (metrics, webhooks); 0 picks one", "8090")
    .option("--data-dir <dir>", "git cache folder (default ~/.cache/berth/gitops)")
    .option("--workers <n>", "apps reconciled at once", "8")
    .option("--webhook-secret <secret>", "secret of webhook signatures (default $BERTH_WEBHOOK_SECRET)")
    .action(async (flags: RunFlags, cmd: Command) => {
      const g = globalOptions(cmd);
      const port = positiveInt(flags.port, "--port", 0);
      const workers = positiveInt(flags.workers, "--workers", 1);
      const [{ createKubeClient }, { createGitSource }, { startGitOpsController }, { createControllerServer }, { registerWebhookRoutes }, { realClock }] = await Promise.all([
        import("../kube/client/index.js"),
        import("../controller/git/index.js"),
        import("../controller/manager.js"),
        import("../controller/server.js"),
        import("../controller/webhook/index.js"),
        import("../core/clock.js"),
      ]);
      const client = createKubeClient({ kubeconfig: g.kubeconfig, context: g.context });
      const cacheDir = flags.dataDir ?? path.join(os.homedir(), ".cache", "berth", "gitops");
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const git = createGitSource({ cacheDir, clock: realClock, logger: { info: log, warn: log, error: log } });
      const ctl = await startGitOpsController({ client, git, workers, log });
      const secret = flags.webhookSecret ?? process.env.BERTH_WEBHOOK_SECRET;
      const server = await createControllerServer({
        metrics: ctl.metrics,
        routes: (app) => {
          registerWebhookRoutes(app, { secrets: secret ? { github: secret, gitlab: secret, gitea: secret } : {}, onChange: (c) => ctl.notify(c) });
        },
      });
      const address = await server.listen({ port, host: "127.0.0.1" });
      process.stdout.write(`berth controller running; metrics at ${address}/metrics, webhooks at ${address}/api/webhook\n`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.close();
      await ctl.stop();
      await git.close();
    });
}
