// status.active as cronjob_controllerv2.go keeps it: the Jobs this controller started and has
// not seen finish. A finished one leaves the list (SawCompletedJob), one that vanished leaves
// it after a direct read confirms it is gone (MissingJob), and an unfinished Job the CronJob
// controls but never started (`kubectl create job --from=cronjob/…`) is reported
// (UnexpectedJob) but not counted, so it never blocks a Forbid schedule.
import type { V1CronJob, V1Job, V1ObjectReference } from "@kubernetes/client-node";
import { apiStatusOf, type KubeClient } from "../../../kube/client/index.js";
import { finishedType } from "../job/plan.js";
import { millisOf } from "../job/time.js";
import type { EventInput } from "./events.js";

export interface ActiveState {
  active: V1ObjectReference[];
  /** The latest completionTime of a succeeded Job, or of the status, in ms. */
  lastSuccessful?: number;
  events: EventInput[];
  /** Unfinished Jobs of this CronJob missing from status.active (reported once each). */
  unexpected: V1Job[];
}

const JOB_TYPE = { apiVersion: "batch/v1", kind: "Job" };

export function refOf(job: V1Job): V1ObjectReference {
  return { apiVersion: "batch/v1", kind: "Job", name: job.metadata?.name, namespace: job.metadata?.namespace, uid: job.metadata?.uid, resourceVersion: job.metadata?.resourceVersion };
}

export async function trackActive(client: KubeClient, cj: V1CronJob, jobs: V1Job[]): Promise<ActiveState> {
  const out: ActiveState = { active: [...(cj.status?.active ?? [])], events: [], unexpected: [] };
  const byUid = new Map(jobs.map((j) => [j.metadata?.uid ?? "", j]));
  let lastSuccessful = millisOf(cj.status?.lastSuccessfulTime);
  for (const j of jobs) {
    const listed = out.active.some((r) => r.uid === j.metadata?.uid);
    const finished = finishedType(j);
    if (!finished) {
      if (!listed) out.unexpected.push(j);
      continue;
    }
    if (listed) {
      out.active = out.active.filter((r) => r.uid !== j.metadata?.uid);
      out.events.push({ type: "Normal", reason: "SawCompletedJob", message: `Saw completed job: ${j.metadata?.name ?? ""}, condition: ${finished}` });
    }
    const completed = millisOf(j.status?.completionTime);
    if (finished === "Complete" && completed !== undefined && completed > (lastSuccessful ?? 0)) lastSuccessful = completed;
  }
  for (const ref of [...out.active]) {
    if (byUid.has(ref.uid ?? "")) continue;
    // The informer may lag: only a direct read saying 404 takes the Job off the list.
    try {
      await client.get({ ...JOB_TYPE, namespace: ref.namespace, name: ref.name ?? "" });
    } catch (err) {
      if (apiStatusOf(err)?.code !== 404) throw err;
      out.active = out.active.filter((r) => r.uid !== ref.uid);
      out.events.push({ type: "Normal", reason: "MissingJob", message: `Active job went missing: ${ref.name ?? ""}` });
    }
  }
  out.lastSuccessful = lastSuccessful;
  return out;
}
