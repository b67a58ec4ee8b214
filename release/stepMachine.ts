// Long operations are step machines (STYLE.md rule 8): step() advances one step, state() says
// where it is; a driver (runSteps) loops and reports progress. A failing step marks the machine
// failed and rethrows; the caller decides what failure means for the release.
import { messageOf } from "./errors.js";

export type StepStatus = "pending" | "running" | "done" | "skipped" | "failed";

export interface StepState {
  name: string;
  status: StepStatus;
  message?: string;
}

export interface OperationState {
  phase: "pending" | "running" | "succeeded" | "failed";
  /** The step running or last run. */
  step?: string;
  message?: string;
  steps: StepState[];
}

export interface Step {
  name: string;
  /** Skipped when this returns false at its turn. */
  enabled?: () => boolean;
  run: () => Promise<string | void>;
}

export class StepMachine {
  private index = 0;
  private failed = false;
  private readonly states: StepState[];

  constructor(private readonly steps: readonly Step[]) {
    this.states = steps.map((s) => ({ name: s.name, status: "pending" }));
  }

  done(): boolean {
    return this.failed || this.index >= this.steps.length;
  }

  /** Runs the next step; false when there was none left. */
  async step(): Promise<boolean> {
    if (this.done()) return false;
    const step = this.steps[this.index];
    const state = this.states[this.index];
    this.index++;
    if (step.enabled && !step.enabled()) {
      state.status = "skipped";
      return true;
    }
    state.status = "running";
    try {
      const message = await step.run();
      state.status = "done";
      if (message) state.message = message;
    } catch (err) {
      state.status = "failed";
      state.message = messageOf(err);
      this.failed = true;
      throw err;
    }
    return true;
  }

  state(): OperationState {
    const current = [...this.states].reverse().find((s) => s.status !== "pending");
    const phase = this.failed ? "failed" : this.index >= this.steps.length ? "succeeded" : this.index === 0 ? "pending" : "running";
    return { phase, step: current?.name, message: current?.message, steps: this.states.map((s) => ({ ...s })) };
  }
}

/** Anything driven one step at a time. */
export interface Steppable {
  step(): Promise<boolean>;
  state(): OperationState;
}

/** The driver: steps until done, telling `onState` after each step. */
export async function runSteps(machine: Steppable, onState?: (state: OperationState) => void): Promise<void> {
  while (await machine.step()) onState?.(machine.state());
}
