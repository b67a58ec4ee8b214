// Output negotiation on the Accept header, as kube-apiserver does it: clauses are tried in
// order of preference; `as=`, `g=`, `v=` parameters ask for the response converted to a
// meta.k8s.io kind (Table, PartialObjectMetadata, PartialObjectMetadataList). A clause whose
// conversion the server cannot do is skipped; when no clause is left the answer is 406.
// Responses are always JSON: protobuf and YAML clauses are accepted and answered in JSON, which
// clients read by the response's Content-Type (client-go falls back the same way).
import { notAcceptable } from "./errors.js";

export type OutputKind = "Object" | "Table" | "PartialObjectMetadata" | "PartialObjectMetadataList";

export interface OutputTarget {
  kind: OutputKind;
  /** meta.k8s.io version of a converted kind ("v1" or "v1beta1"); "" for Object. */
  version: string;
}

export const AS_OBJECT: OutputTarget = { kind: "Object", version: "" };

const MEDIA_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const META_VERSIONS = new Set(["v1", "v1beta1"]);

interface Clause {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

function parseClause(text: string): Clause | undefined {
  const [range, ...rest] = text.split(";");
  const [type, subtype] = range.trim().toLowerCase().split("/");
  if (!type || subtype === undefined) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  const q = params.has("q") ? Number(params.get("q")) : 1;
  return { type, subtype: subtype.trim(), params, q: Number.isFinite(q) ? q : 0 };
}

/** Accept clauses, most preferred first (stable for equal q); q=0 clauses are refusals. */
export function parseAccept(accept: string): Clause[] {
  const clauses = accept.split(",").map(parseClause).filter((c): c is Clause => c !== undefined && c.q > 0);
  return clauses.map((c, i) => ({ c, i })).sort((a, b) => b.c.q - a.c.q || a.i - b.i).map((x) => x.c);
}

function servesMediaType(c: Clause): boolean {
  if (c.type === "*") return c.subtype === "*";
  if (c.type !== "application") return false;
  return c.subtype === "*" || MEDIA_TYPES.includes(`${c.type}/${c.subtype}`);
}

/** What the clause asks for, or undefined when the server cannot serve it. */
function targetOf(c: Clause): OutputTarget | undefined {
  if (!servesMediaType(c)) return undefined;
  const as = c.params.get("as");
  const group = c.params.get("g");
  const version = c.params.get("v");
  if (as === undefined && group === undefined && version === undefined) return AS_OBJECT;
  if (group !== "meta.k8s.io" || version === undefined || !META_VERSIONS.has(version)) return undefined;
  if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") return { kind: as, version };
  // Tables are served as JSON or YAML only, never protobuf (kube-apiserver's rule too).
  if (as === "Table" && (c.subtype === "json" || c.subtype === "yaml")) return { kind: "Table", version };
  return undefined;
}

/** The response form the Accept header asks for; no header or an empty one means the object. */
export function negotiateOutput(accept: string | undefined): OutputTarget {
  if (accept === undefined || accept.trim() === "") return AS_OBJECT;
  for (const clause of parseAccept(accept)) {
    const target = targetOf(clause);
    if (target) return target;
  }
  throw notAcceptable(`only the following media types are accepted: ${MEDIA_TYPES.join(", ")}`);
}

/** kube-apiserver's 406 when the conversion does not fit the response (a list as one object…). */
export function checkTargetFits(target: OutputTarget, response: "object" | "list" | "watch"): void {
  if (target.kind === "PartialObjectMetadata" && response === "list") {
    throw notAcceptable("you requested PartialObjectMetadata, but the requested object is a list");
  }
  if (target.kind === "PartialObjectMetadataList" && response !== "list") {
    throw notAcceptable("you requested PartialObjectMetadataList, but the requested object is not a list");
  }
}
