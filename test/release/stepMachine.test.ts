import { describe, expect, it } from "vitest";
import { runSteps, StepMachine, type Step } from "../../release/stepMachine.js";

const step = (name: string, o: { fail?: boolean; enabled?: boolean; message?: string } = {}): Step => ({
  name,
  enabled: () => o.enabled !== false,
  run: async () => {
    if (o.fail) throw new Error(`${name} broke`);
    return o.message;
  },
});

describe("StepMachine", () => {
  it("advances one step at a time and says where it is", async () => {
    const m = new StepMachine([step("render"), step("apply", { message: "3 object(s)" }), step("wait", { enabled: false })]);
    expect(m.state().phase).toBe("pending");
    await m.step();
    expect(m.state()).toMatchObject({ phase: "running", step: "render" });
    await m.step();
    expect(m.state()).toMatchObject({ phase: "running", step: "apply", message: "3 object(s)" });
    await m.step();
    expect(m.state().phase).toBe("succeeded");
    expect(m.state().steps.map((s) => `${s.name}:${s.status}`)).toEqual(["render:done", "apply:done", "wait:skipped"]);
    expect(await m.step()).toBe(false);
  });

  it("stops at a failing step, keeps its message and rethrows", async () => {
    const m = new StepMachine([step("apply", { fail: true }), step("wait")]);
    const seen: string[] = [];
    await expect(runSteps(m, (s) => seen.push(s.phase))).rejects.toThrow("apply broke");
    expect(m.state()).toMatchObject({ phase: "failed", step: "apply", message: "apply broke" });
    expect(m.state().steps[1].status).toBe("pending");
    expect(m.done()).toBe(true);
  });
});
