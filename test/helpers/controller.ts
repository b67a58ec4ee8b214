// `berth controller run` as a child process for end-to-end tests: resolves once it serves
// (with its URL), or rejects with what it printed when it exits first.
import { spawn, type ChildProcess } from "node:child_process";
import { CLI } from "./cli.js";

export interface StartedController {
  child: ChildProcess;
  /** http://127.0.0.1:PORT (metrics, webhooks and hosted git live under it). */
  url: string;
  stderr(): string;
}

export function startController(options: { kubeconfig: string; dataDir: string; args?: string[] }): Promise<StartedController> {
  const args = [CLI, "controller", "run", "--kubeconfig", options.kubeconfig, "--port", "0", "--data-dir", options.dataDir, ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const url = /metrics at (\S+)\/metrics/.exec(out)?.[1];
      if (url) resolve({ child, url, stderr: () => err });
    });
    child.on("exit", (code) => reject(Object.assign(new Error(`controller exited with ${code}: ${out}${err}`), { code, stderr: err })));
  });
}
