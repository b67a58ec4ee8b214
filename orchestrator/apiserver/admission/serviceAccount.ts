// The ServiceAccount admission plugin (model: kube-apiserver's plugin/pkg/admission/
// serviceaccount): a new pod that names no account runs as `default`, spec.serviceAccount
// mirrors spec.serviceAccountName (the deprecated alias Kubernetes still writes), and a pod
// whose account does not exist is refused with Kubernetes' 403:
//   pods "web" is forbidden: error looking up service account ns/x: serviceaccount "x" not found
// The `default` account is made by the ServiceAccount controller right after its namespace, so
// a pod created at once into a new namespace is looked up again for a while before it is
// refused: Kubernetes retries 10 times 100-200 ms apart; berth waits up to 3 s (30 x 100 ms),
// since its controllers share two cores with everything else on a busy test machine.
// Unless the pod or its account opts out (automountServiceAccountToken: false), the pod gets the
// API-access projected volume (tokenVolume.ts). Mirror pods (static pods a kubelet reports)
// are left alone, as in Kubernetes.
import type { Clock } from "../../../core/clock.js";
import type { ApiEnv, WriteCheck } from "../context.js";
import { forbidden } from "../errors.js";
import { child, isObject, meta, str, type JsonObject } from "../object.js";
import { mountTokenVolume, shouldAutomount } from "./tokenVolume.js";

export const DEFAULT_SERVICE_ACCOUNT = "default";
const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
const SERVICE_ACCOUNTS = { group: "", resource: "serviceaccounts", namespaced: true } as const;

export interface ServiceAccountAdmissionOptions {
  /** Lookups of the `default` account before a pod is refused (default 30). */
  defaultAttempts?: number;
  /** Pause between them (default 100 ms). */
  retryIntervalMs?: number;
}

function isPodWrite(write: Parameters<WriteCheck>[0]): boolean {
  const { info, subresource } = write.target;
  return !info.custom && info.group === "" && info.kind === "Pod" && subresource === undefined;
}

function isMirrorPod(obj: JsonObject): boolean {
  const annotations = meta(obj).annotations;
  return isObject(annotations) && annotations[MIRROR_POD_ANNOTATION] !== undefined;
}

/** Resolves the alias: serviceAccountName wins, else serviceAccount, else `fallback`; both fields get the result. */
export function mirrorServiceAccount(obj: JsonObject, fallback: string | undefined): string | undefined {
  const spec = child(obj, "spec");
  const name = str(spec.serviceAccountName) || str(spec.serviceAccount) || fallback;
  if (name === undefined || name === "") return undefined;
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  return name;
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

async function lookupAccount(env: ApiEnv, namespace: string, name: string, options: ServiceAccountAdmissionOptions): Promise<JsonObject | undefined> {
  const attempts = name === DEFAULT_SERVICE_ACCOUNT ? Math.max(1, options.defaultAttempts ?? 30) : 1;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(env.clock, options.retryIntervalMs ?? 100);
    const account = await env.storage.tryGet(SERVICE_ACCOUNTS, { namespace, name });
    if (account) return account;
  }
  return undefined;
}

/** The admission step for createApiServer's `admission` option. */
export function serviceAccountAdmission(options: ServiceAccountAdmissionOptions = {}): WriteCheck {
  return async (write) => {
    if (!isPodWrite(write) || isMirrorPod(write.obj)) return;
    const { target, obj } = write;
    // Updates keep the alias in step but never pick or check an account: the pod spec's
    // account is immutable, and a pod that runs stays valid when its account goes.
    if (write.old !== undefined) {
      mirrorServiceAccount(obj, undefined);
      return;
    }
    const name = mirrorServiceAccount(obj, DEFAULT_SERVICE_ACCOUNT) ?? DEFAULT_SERVICE_ACCOUNT;
    const namespace = str(meta(obj).namespace) ?? "";
    const account = await lookupAccount(target.env, namespace, name, options);
    if (!account) {
      const podName = str(meta(obj).name) ?? "";
      throw forbidden(`pods "${podName}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`, { name: podName });
    }
    if (shouldAutomount(obj, account)) mountTokenVolume(obj);
  };
}
