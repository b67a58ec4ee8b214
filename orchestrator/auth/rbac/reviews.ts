// authorization.k8s.io/v1 access reviews, computed and never stored: SubjectAccessReview (may
// user X do Y?), LocalSubjectAccessReview (the same, in one namespace), SelfSubjectAccessReview
// (may I?) and SelfSubjectRulesReview (what may I do here?) — what `kubectl auth can-i`,
// `--list` and `--as` send. The resources are added to the registry so discovery lists them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { mediaType, parseObject } from "../../apiserver/body.js";
import type { ApiEnv } from "../../apiserver/context.js";
import { badRequest, InvalidError, fieldCause } from "../../apiserver/errors.js";
import { arrayOf, isObject, str, type JsonObject } from "../../apiserver/object.js";
import { PROTOBUF } from "../../apiserver/protobuf.js";
import { toStatus } from "../../apiserver/status.js";
import type { ResourceInfo } from "../../apiserver/types.js";
import type { Authorizer, AuthzAttributes, UserInfo } from "../types.js";
import type { PolicyRule } from "./policy.js";

const GROUP = "authorization.k8s.io";
const VERSION = "v1";
const BASE = `/apis/${GROUP}/${VERSION}`;

function review(kind: string, namespaced: boolean): ResourceInfo {
  const resource = `${kind.toLowerCase()}s`;
  return { group: GROUP, version: VERSION, kind, listKind: `${kind}List`, resource, singular: kind.toLowerCase(), namespaced, verbs: ["create"] };
}

export const ACCESS_REVIEW_RESOURCES: ResourceInfo[] = [
  review("LocalSubjectAccessReview", true),
  review("SelfSubjectAccessReview", false),
  review("SelfSubjectRulesReview", false),
  review("SubjectAccessReview", false),
];

/** An authorizer that can also list a user's rules (RBAC can; others answer "incomplete"). */
interface RulesLister {
  rulesFor(user: UserInfo, namespace: string | undefined): PolicyRule[];
}

function listsRules(a: Authorizer): a is Authorizer & RulesLister {
  return "rulesFor" in a && typeof a.rulesFor === "function";
}

export interface AccessReviewOptions {
  env: ApiEnv;
  /** Decides the reviews; an RBAC authorizer also answers SelfSubjectRulesReview. */
  authorizer: Authorizer;
}

function invalid(kind: string, field: string, message: string): InvalidError {
  return new InvalidError(kind, "", [fieldCause("FieldValueRequired", field, message)]);
}

function attributesOf(kind: string, spec: JsonObject, user: UserInfo): AuthzAttributes {
  const res = spec.resourceAttributes;
  const nonRes = spec.nonResourceAttributes;
  if (isObject(res) && isObject(nonRes)) throw invalid(kind, "spec.nonResourceAttributes", "Invalid value: cannot be specified in combination with resourceAttributes");
  if (isObject(nonRes)) return { user, resourceRequest: false, verb: str(nonRes.verb) ?? "", path: str(nonRes.path) ?? "" };
  if (!isObject(res)) throw invalid(kind, "spec.resourceAttributes", "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
  const attrs: AuthzAttributes = { user, resourceRequest: true, verb: str(res.verb) ?? "", apiGroup: str(res.group) ?? "", resource: str(res.resource) ?? "" };
  for (const [from, to] of [["version", "apiVersion"], ["subresource", "subresource"], ["namespace", "namespace"], ["name", "name"]] as const) {
    const v = str(res[from]);
    if (v) attrs[to] = v;
  }
  return attrs;
}

function userFromSpec(spec: JsonObject): UserInfo {
  const user: UserInfo = { username: str(spec.user) ?? "", groups: arrayOf(spec.groups).filter((g): g is string => typeof g === "string") };
  const uid = str(spec.uid);
  if (uid) user.uid = uid;
  if (isObject(spec.extra)) {
    user.extra = {};
    // JSON carries each value as a list; protobuf bodies decode it as ExtraValue { items }.
    for (const [k, v] of Object.entries(spec.extra)) user.extra[k] = arrayOf(isObject(v) ? v.items : v).filter((x): x is string => typeof x === "string");
  }
  return user;
}

function specOf(body: JsonObject): JsonObject {
  return isObject(body.spec) ? body.spec : {};
}

function answer(body: JsonObject, kind: string, status: JsonObject): JsonObject {
  const metadata = isObject(body.metadata) ? { ...body.metadata } : {};
  if (metadata.creationTimestamp === undefined) metadata.creationTimestamp = null;
  return { kind, apiVersion: `${GROUP}/${VERSION}`, metadata, spec: specOf(body), status };
}

async function accessStatus(authorizer: Authorizer, attrs: AuthzAttributes): Promise<JsonObject> {
  const decision = await authorizer.authorize(attrs);
  const status: JsonObject = { allowed: decision.allowed };
  // As Kubernetes' RBAC: the allowing binding is named; a denial (no opinion) has no reason,
  // so `kubectl auth can-i` prints a bare "no".
  if (decision.allowed && decision.reason) status.reason = decision.reason;
  return status;
}

function rulesStatus(authorizer: Authorizer, user: UserInfo, namespace: string | undefined): JsonObject {
  if (!listsRules(authorizer)) return { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: "the authorizer cannot list rules" };
  const resourceRules: JsonObject[] = [];
  const nonResourceRules: JsonObject[] = [];
  for (const r of authorizer.rulesFor(user, namespace)) {
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    if (!r.resources?.length) continue;
    const rule: JsonObject = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
    if (r.resourceNames?.length) rule.resourceNames = r.resourceNames;
    resourceRules.push(rule);
  }
  return { resourceRules, nonResourceRules, incomplete: false };
}

type ReviewHandler = (body: JsonObject, request: FastifyRequest) => Promise<JsonObject>;

function requester(request: FastifyRequest): UserInfo {
  // Without an auth pipeline (in-process tests) the caller is nobody in particular.
  return request.user ?? { username: "", groups: [] };
}

function handlers(authorizer: Authorizer): Record<string, ReviewHandler> {
  return {
    SubjectAccessReview: async (body) => {
      const spec = specOf(body);
      const user = userFromSpec(spec);
      if (user.username === "" && user.groups.length === 0) throw invalid("SubjectAccessReview", "spec.user", "Invalid value: \"\": at least one of user or group must be specified");
      return answer(body, "SubjectAccessReview", await accessStatus(authorizer, attributesOf("SubjectAccessReview", spec, user)));
    },
    SelfSubjectAccessReview: async (body, request) =>
      answer(body, "SelfSubjectAccessReview", await accessStatus(authorizer, attributesOf("SelfSubjectAccessReview", specOf(body), requester(request)))),
    SelfSubjectRulesReview: async (body, request) => answer(body, "SelfSubjectRulesReview", rulesStatus(authorizer, requester(request), str(specOf(body).namespace) || undefined)),
    LocalSubjectAccessReview: async (body, request) => {
      const namespace = isObject(request.params) ? str(request.params.namespace) ?? "" : "";
      const spec = specOf(body);
      const res = isObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
      if (!res) throw invalid("LocalSubjectAccessReview", "spec.resourceAttributes", "Required value: disallowed on this kind of request");
      if (str(res.namespace) && res.namespace !== namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
      res.namespace = namespace;
      const user = userFromSpec(spec);
      if (user.username === "" && user.groups.length === 0) throw invalid("LocalSubjectAccessReview", "spec.user", "Invalid value: \"\": at least one of user or group must be specified");
      return answer(body, "LocalSubjectAccessReview", await accessStatus(authorizer, attributesOf("LocalSubjectAccessReview", spec, user)));
    },
  };
}

function serve(kind: string, handle: ReviewHandler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      // Protobuf bodies (what kubectl sends) arrive already decoded to JSON text by the server.
      const type = mediaType(request.headers["content-type"]) === PROTOBUF ? "application/json" : request.headers["content-type"];
      const body = parseObject(typeof request.body === "string" ? request.body : undefined, type);
      if (body.kind !== undefined && body.kind !== kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${kind})`);
      return reply.code(201).header("content-type", "application/json").send(await handle(body, request));
    } catch (err) {
      const status = toStatus(err, { group: GROUP, kind: `${kind.toLowerCase()}s` });
      return reply.code(status.code).send(status);
    }
  };
}

/** Serves the four reviews under /apis/authorization.k8s.io/v1 and registers them for discovery. */
export function registerAccessReviewRoutes(app: FastifyInstance, options: AccessReviewOptions): void {
  const h = handlers(options.authorizer);
  app.post(`${BASE}/subjectaccessreviews`, serve("SubjectAccessReview", h.SubjectAccessReview));
  app.post(`${BASE}/selfsubjectaccessreviews`, serve("SelfSubjectAccessReview", h.SelfSubjectAccessReview));
  app.post(`${BASE}/selfsubjectrulesreviews`, serve("SelfSubjectRulesReview", h.SelfSubjectRulesReview));
  app.post(`${BASE}/namespaces/:namespace/localsubjectaccessreviews`, serve("LocalSubjectAccessReview", h.LocalSubjectAccessReview));
  if (!options.env.registry.lookup(GROUP, VERSION, "subjectaccessreviews")) options.env.registry.add(ACCESS_REVIEW_RESOURCES);
}
