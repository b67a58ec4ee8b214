// `berth test RELEASE`: runs the deployed revision's `test` hooks in weight order and reports
// each (model: Helm's action/release_testing.go). The hooks' last runs are written back.
import { NotFoundError } from "../../core/errors.js";
import { DEFAULT_TIMEOUT_MS, type ActionContext } from "../context.js";
import { messageOf } from "../errors.js";
import { hooksFor, runHooks } from "../hooks.js";
import { hookRef } from "../manifest.js";
import type { Release, ReleaseHook } from "../model.js";
import { getRelease } from "./query.js";

export interface TestOptions {
  releaseName: string;
  namespace: string;
  timeoutMs?: number;
  logs?: boolean;
}

export interface TestResult {
  release: Release;
  hooks: ReleaseHook[];
  /** Pod logs by hook name (with --logs). */
  logs: Map<string, string>;
  error?: string;
}

export class TestAction {
  constructor(
    private readonly ctx: ActionContext,
    private readonly o: TestOptions,
  ) {}

  async run(): Promise<TestResult> {
    const release = await getRelease(this.ctx.storage, { releaseName: this.o.releaseName, namespace: this.o.namespace });
    if (release.info.status !== "deployed") {
      throw new NotFoundError(`release ${release.name}: has no deployed revision to test (revision ${release.version} is ${release.info.status})`);
    }
    const working = structuredClone(release);
    let error: string | undefined;
    try {
      await runHooks(working, "test", { target: this.ctx.target, clock: this.ctx.clock, timeoutMs: this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    } catch (err) {
      error = messageOf(err);
    }
    const saved = await this.ctx.storage.update({ ...release, hooks: working.hooks });
    const hooks = hooksFor(saved, "test");
    const logs = new Map<string, string>();
    if (this.o.logs) {
      for (const h of hooks.filter((x) => x.kind === "Pod")) logs.set(h.name, await this.ctx.target.podLogs(hookRef(h), { namespace: saved.namespace }));
    }
    return { release: saved, hooks, logs, ...(error ? { error } : {}) };
  }
}
