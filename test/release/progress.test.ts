// --wait progress without a terminal: one line per object that had to be waited for, when it
// becomes ready; nothing for objects ready at once, nothing for intermediate states.
import { describe, expect, it } from "vitest";
import type { ResourceState } from "../../kube/wait/index.js";
import { releaseWaitReporter } from "../../release/progress.js";

const state = (kind: string, status: ResourceState["status"], message = ""): ResourceState => ({
  ref: { apiVersion: "v1", kind, name: "web", namespace: "default" },
  status,
  message,
});

describe("releaseWaitReporter (no TTY)", () => {
  it.each<[string, ResourceState[][], string]>([
    ["everything ready at the first check prints nothing", [[state("ConfigMap", "Healthy"), state("Service", "Healthy")]], ""],
    [
      "a slow object: one line when ready, none for its progress",
      [
        [state("ConfigMap", "Healthy"), state("Deployment", "Progressing", "0 of 2")],
        [state("ConfigMap", "Healthy"), state("Deployment", "Progressing", "1 of 2")],
        [state("ConfigMap", "Healthy"), state("Deployment", "Healthy", "2 of 2 replicas available")],
        [state("ConfigMap", "Healthy"), state("Deployment", "Healthy", "2 of 2 replicas available")],
      ],
      "Deployment/web -n default: Healthy - 2 of 2 replicas available\n",
    ],
    ["still pending at the end prints nothing (the error names it)", [[state("Deployment", "Progressing")], [state("Deployment", "Degraded", "bad image")]], ""],
  ])("%s", (_label, rounds, expected) => {
    let out = "";
    const report = releaseWaitReporter({ write: (t: string) => (out += t), isTTY: false });
    for (const round of rounds) report(round);
    expect(out).toBe(expected);
  });

  it("on a terminal, the live lines are erased once everything is ready", () => {
    let out = "";
    const report = releaseWaitReporter({ write: (t: string) => (out += t), isTTY: true });
    report([state("Deployment", "Progressing", "0 of 2")]);
    expect(out).toContain("Deployment/web -n default: Progressing - 0 of 2");
    out = "";
    report([state("Deployment", "Healthy", "2 of 2")]);
    expect(out.replace(/\u001b\[\d*[AK]/g, "").replace(/\n/g, "")).toBe("");
  });
});
