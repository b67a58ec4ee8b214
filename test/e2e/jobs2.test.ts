// Jobs and CronJobs at Kubernetes parity, end to end with the real kubectl against
// `berth cluster up` and its simulated kubelets (containers exit by the berth.dev/sim-*
// annotations): counts survive pod deletion (job-tracking finalizer), Indexed Jobs,
// suspend / resume, podFailurePolicy, activeDeadlineSeconds, ttlSecondsAfterFinished,
// deleting a running Job or its namespace, and a CronJob's manual run with its time zone.
// Tests share one cluster and namespace; eventual states are polled with a bounded deadline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, waitFor, type TestCluster } from "../helpers/cluster.js";
import { jobYaml as job } from "./manifests.js";

let c: TestCluster;
const NS = "batch2";
const N = ["-n", NS];

beforeAll(async () => {
  c = await startTestCluster({ namespace: NS });
}, 60_000);
afterAll(async () => {
  await c.stop();
});

const apply = (yaml: string, ns = NS): Promise<string> => c.kubectlOk(["-n", ns, "apply", "-f", "-"], { input: yaml });
const jsonpath = (kind: string, name: string, path: string, ns = NS): Promise<string> => c.kubectlOk(["-n", ns, "get", kind, name, "-o", `jsonpath=${path}`]);
const waitJob = (name: string, condition: string, ns = NS) => c.kubectlOk(["-n", ns, "wait", `--for=condition=${condition}`, `job/${name}`, "--timeout=60s"], { timeoutMs: 70_000 });
const podNames = async (job: string, ns = NS): Promise<string[]> =>
  (await c.kubectlOk(["-n", ns, "get", "pods", "-l", `batch.kubernetes.io/job-name=${job}`, "-o", "name"])).split("\n").filter(Boolean);

describe("Job pod tracking", () => {
  it("keeps its counts after its finished pods are deleted", async () => {
    await apply(job("counted", { spec: "completions: 2\nparallelism: 2", annotations: { "berth.dev/sim-duration": "300ms" } }));
    await waitJob("counted", "complete");
    const finalizers = await waitFor("finalizers released", async () => {
      const f = await c.kubectlOk([...N, "get", "pods", "-l", "batch.kubernetes.io/job-name=counted", "-o", "jsonpath={.items[*].metadata.finalizers}"]);
      // Our API server keeps an emptied list as [] where Kubernetes omits it (reported to the lead).
      return f.replace(/\[\]/g, "").trim() === "" && "none";
    });
    expect(finalizers).toBe("none");
    await c.kubectlOk([...N, "delete", "pods", "-l", "batch.kubernetes.io/job-name=counted", "--wait=true"], { timeoutMs: 60_000 });
    expect(await podNames("counted")).toEqual([]);
    expect(await jsonpath("job", "counted", "{.status.succeeded} {.status.uncountedTerminatedPods}")).toBe("2 {}");
    expect(await jsonpath("job", "counted", "{.status.conditions[*].type}")).toBe("SuccessCriteriaMet Complete");
  }, 90_000);

  it("a running pod holds the finalizer; deleting the running Job frees and removes its pods", async () => {
    await apply(job("running", { spec: "parallelism: 2\ncompletions: 2", annotations: { "berth.dev/sim-duration": "10m" } }));
    const f = await waitFor("running pods", async () => {
      const out = await c.kubectlOk([...N, "get", "pods", "-l", "batch.kubernetes.io/job-name=running", "-o", "jsonpath={.items[*].metadata.finalizers[*]}"]);
      return out.split(" ").filter(Boolean).length === 2 && out;
    });
    expect(f).toBe("batch.kubernetes.io/job-tracking batch.kubernetes.io/job-tracking");
    await c.kubectlOk([...N, "delete", "job", "running", "--wait=true"], { timeoutMs: 60_000 });
    await waitFor("pods gone", async () => (await podNames("running")).length === 0);
  }, 90_000);

  it("a namespace with a running Job deletes", async () => {
    await c.kubectlOk(["create", "namespace", "batch2-gone"]);
    await apply(job("stuck", { spec: "parallelism: 3\ncompletions: 3", annotations: { "berth.dev/sim-duration": "10m" } }), "batch2-gone");
    await waitFor("pods", async () => (await podNames("stuck", "batch2-gone")).length === 3);
    await c.kubectlOk(["delete", "namespace", "batch2-gone", "--wait=true", "--timeout=60s"], { timeoutMs: 70_000 });
    const left = await c.kubectl(["get", "namespace", "batch2-gone"]);
    expect(left.code).not.toBe(0);
  }, 90_000);
});

describe("Job features", () => {
  it("an Indexed Job runs each index once with its hostname and records completedIndexes", async () => {
    await apply(job("indexed", { spec: "completionMode: Indexed\ncompletions: 3\nparallelism: 3", annotations: { "berth.dev/sim-duration": "300ms" } }));
    await waitJob("indexed", "complete");
    expect(await jsonpath("job", "indexed", "{.status.completedIndexes} {.status.succeeded}")).toBe("0-2 3");
    const out = await c.kubectlOk([...N, "get", "pods", "-l", "batch.kubernetes.io/job-name=indexed", "-o", "jsonpath={range .items[*]}{.metadata.labels.batch\\.kubernetes\\.io/job-completion-index}={.spec.hostname}{\"\\n\"}{end}"]);
    expect(out.split("\n").filter(Boolean).sort()).toEqual(["0=indexed-0", "1=indexed-1", "2=indexed-2"]);
  }, 90_000);

  it("suspend holds a Job with condition Suspended; resuming runs it to completion", async () => {
    await apply(job("paused", { spec: "suspend: true", annotations: { "berth.dev/sim-duration": "300ms" } }));
    await waitJob("paused", "suspended");
    expect(await podNames("paused")).toEqual([]);
    await c.kubectlOk([...N, "patch", "job", "paused", "--type=merge", "-p", '{"spec":{"suspend":false}}']);
    await waitJob("paused", "complete");
    expect(await jsonpath("job", "paused", '{.status.conditions[?(@.type=="Suspended")].status} {.status.conditions[?(@.type=="Suspended")].reason}')).toBe("False JobResumed");
  }, 90_000);

  it("podFailurePolicy FailJob on an exit code fails the Job at once", async () => {
    const spec = "backoffLimit: 6\npodFailurePolicy:\n  rules:\n  - action: FailJob\n    onExitCodes: { containerName: main, operator: In, values: [42] }";
    await apply(job("fatal", { spec, annotations: { "berth.dev/sim-duration": "200ms", "berth.dev/sim-exit-code": "42" } }));
    await waitJob("fatal", "failed");
    expect(await jsonpath("job", "fatal", '{.status.conditions[?(@.type=="Failed")].reason} {.status.failed}')).toBe("PodFailurePolicy 1");
    expect(await jsonpath("job", "fatal", '{.status.conditions[?(@.type=="Failed")].message}')).toMatch(/^Container main for pod batch2\/fatal-\w+ failed with exit code 42 matching FailJob rule at index 0$/);
  }, 90_000);

  it("activeDeadlineSeconds stops a running Job with DeadlineExceeded once its pod is gone", async () => {
    await apply(job("slow", { spec: "activeDeadlineSeconds: 2", annotations: { "berth.dev/sim-duration": "10m" } }));
    await waitJob("slow", "failed");
    expect(await jsonpath("job", "slow", '{.status.conditions[?(@.type=="Failed")].reason} {.status.terminating} {.status.active}')).toBe("DeadlineExceeded 0 ");
    await waitFor("pod gone", async () => (await podNames("slow")).length === 0);
  }, 90_000);

  it("ttlSecondsAfterFinished deletes the finished Job and its pods", async () => {
    await apply(job("brief", { spec: "ttlSecondsAfterFinished: 1", annotations: { "berth.dev/sim-duration": "200ms" } }));
    await waitFor("job deleted", async () => (await c.kubectl([...N, "get", "job", "brief"])).code !== 0);
    await waitFor("pods gone", async () => (await podNames("brief")).length === 0);
  }, 90_000);
});

describe("CronJob", () => {
  it("a manual run copies the template, is not counted active, and the CronJob reports it", async () => {
    await apply(`apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  schedule: "0 3 1 1 *"
  timeZone: Europe/Berlin
  concurrencyPolicy: Forbid
  jobTemplate:
    metadata: { labels: { team: data } }
    spec:
      template:
        metadata: { annotations: { berth.dev/sim-duration: 30s } }
        spec: { restartPolicy: Never, containers: [{ name: main, image: busybox }] }
`);
    await c.kubectlOk([...N, "create", "job", "report-now", "--from=cronjob/report"]);
    expect(await jsonpath("job", "report-now", "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.metadata.labels.team}")).toBe("manual data");
    const warning = await waitFor("UnexpectedJob event", async () => {
      const out = await c.kubectlOk([...N, "get", "events", "--field-selector", "involvedObject.name=report,reason=UnexpectedJob", "-o", "jsonpath={.items[*].message}"]);
      return out !== "" && out;
    });
    expect(warning).toBe("Saw a job that the controller did not create or forgot: report-now");
    expect(await jsonpath("cronjob", "report", "{.status.active}")).toBe("");
    await c.kubectlOk([...N, "delete", "job", "report-now", "--wait=true"], { timeoutMs: 60_000 });
  }, 90_000);
});
