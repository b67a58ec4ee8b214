// Which release an object belongs to (model: Helm's existingResourceConflict and its
// meta.helm.sh/release-name / release-namespace annotations). Every object a release applies
// carries berth.dev/release-name and berth.dev/release-namespace (added at apply time, not
// stored in the manifest); an install or upgrade refuses to adopt a live object that names no
// release or another one, unless --take-ownership. Without this, an install would silently take
// over a ConfigMap someone created by hand, and its uninstall would delete it.
import type { Values } from "../charts/model.js";
import { ReleaseError } from "./errors.js";
import { isRecord, refKey, type Applied, type ObjectRef, type ReleaseTarget } from "./target.js";

export const RELEASE_NAME_ANNOTATION = "berth.dev/release-name";
export const RELEASE_NAMESPACE_ANNOTATION = "berth.dev/release-namespace";

export interface ReleaseIdentity {
  name: string;
  namespace: string;
}

/** The object with the release's ownership annotations set. */
export function withOwnership(obj: Values, release: ReleaseIdentity): Values {
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  return {
    ...obj,
    metadata: { ...metadata, annotations: { ...annotations, [RELEASE_NAME_ANNOTATION]: release.name, [RELEASE_NAMESPACE_ANNOTATION]: release.namespace } },
  };
}

/** Why `live` may not be adopted by `release`; undefined when it already belongs to it. */
export function ownershipProblem(live: Values, release: ReleaseIdentity): string | undefined {
  const metadata = isRecord(live.metadata) ? live.metadata : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const problems: string[] = [];
  for (const [key, want] of [[RELEASE_NAME_ANNOTATION, release.name], [RELEASE_NAMESPACE_ANNOTATION, release.namespace]] as const) {
    const have = annotations[key];
    if (have === undefined) problems.push(`missing annotation ${key} (must be "${want}")`);
    else if (have !== want) problems.push(`annotation ${key} is "${String(have)}" (must be "${want}")`);
  }
  return problems.length > 0 ? problems.join(", ") : undefined;
}

export interface AdoptionCheck {
  release: ReleaseIdentity;
  /** What the server-side dry run said per object: "created" ones do not exist yet. */
  planned: readonly Applied[];
  /** Objects the release's previous revision already held: they are its own. */
  previous: readonly ObjectRef[];
  takeOwnership?: boolean;
}

/** Throws naming every live object the release would take over from someone else. */
export async function checkAdoption(target: ReleaseTarget, o: AdoptionCheck): Promise<void> {
  if (o.takeOwnership) return;
  const ns = o.release.namespace;
  const own = new Set(o.previous.map((r) => refKey(r, ns)));
  const problems: string[] = [];
  // Read live: a dry run's answer carries the annotations it would set, and its resourceVersion
  // is the live one, so even "unchanged" does not say whose the live object is.
  for (const a of o.planned.filter((p) => p.action !== "created" && !own.has(refKey(p.ref, ns)))) {
    const live = await target.get(a.ref, { namespace: ns });
    const problem = live ? ownershipProblem(live, o.release) : undefined;
    if (problem) problems.push(`${a.ref.kind} "${a.ref.name}" in namespace "${a.ref.namespace ?? ns}": ${problem}`);
  }
  if (problems.length === 0) return;
  throw new ReleaseError(`release ${o.release.name}: rendered manifests contain objects that already exist and belong to no release or another one: ${problems.join("; ")}`, {
    hint: "pass --take-ownership to adopt them, or delete them first",
  });
}
