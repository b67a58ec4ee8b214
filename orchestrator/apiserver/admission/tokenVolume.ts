// The API-access volume ServiceAccount admission mounts into a new pod, as Kubernetes 1.22+
// does: one projected volume `kube-api-access-XXXXX` (a bound token for the pod's account, the
// cluster CA from ConfigMap kube-root-ca.crt, the namespace) mounted read-only at
// /var/run/secrets/kubernetes.io/serviceaccount in every init and app container that does not
// already mount something there. The simulated kubelet mounts nothing; the shape is what
// `kubectl get pod -o yaml` and `kubectl describe pod` show on a real cluster.
import { generateSuffix } from "../admission.js";
import { arrayOf, child, isObject, str, type JsonObject } from "../object.js";

export const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
export const TOKEN_VOLUME_PREFIX = "kube-api-access-";
/** Kubernetes' default: an hour and 7 s, the "warn only" expiry of bound tokens. */
const TOKEN_EXPIRATION_SECONDS = 3607;
const DEFAULT_MODE = 0o644;

/** The pod's setting wins, then the account's; mounted unless either says false. */
export function shouldAutomount(pod: JsonObject, account: JsonObject | undefined): boolean {
  const spec = child(pod, "spec");
  if (typeof spec.automountServiceAccountToken === "boolean") return spec.automountServiceAccountToken;
  if (account && typeof account.automountServiceAccountToken === "boolean") return account.automountServiceAccountToken;
  return true;
}

export function tokenVolume(name: string): JsonObject {
  return {
    name,
    projected: {
      defaultMode: DEFAULT_MODE,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
    },
  };
}

function mountsTokenPath(container: JsonObject): boolean {
  return arrayOf(container.volumeMounts).some((m) => isObject(m) && m.mountPath === TOKEN_MOUNT_PATH);
}

/** Mounts the API-access volume into every container that lacks one; adds the volume when any needed it. */
export function mountTokenVolume(pod: JsonObject): void {
  const spec = child(pod, "spec");
  const volumes = arrayOf(spec.volumes);
  const existing = volumes.find((v) => isObject(v) && (str(v.name) ?? "").startsWith(TOKEN_VOLUME_PREFIX));
  const name = isObject(existing) ? (str(existing.name) ?? "") : `${TOKEN_VOLUME_PREFIX}${generateSuffix()}`;
  let needed = false;
  for (const key of ["initContainers", "containers"]) {
    for (const container of arrayOf(spec[key])) {
      if (!isObject(container) || mountsTokenPath(container)) continue;
      container.volumeMounts = [...arrayOf(container.volumeMounts), { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
      needed = true;
    }
  }
  if (needed && existing === undefined) spec.volumes = [...volumes, tokenVolume(name)];
}
