// What every handler gets: the parsed request and the server's parts. Handlers are plain
// functions over these so the GC, namespace and CRD loops reuse them without HTTP.
import { randomUUID } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import type { UserInfo } from "../auth/types.js";
import type { StatusCause } from "./errors.js";
import type { JsonObject } from "./object.js";
import type { ResourceRegistry } from "./registry.js";
import type { ObjectStorage } from "./storage.js";
import type { ResourceInfo } from "./types.js";
import type { WriteTarget } from "./admission.js";

/** Per-resource behaviour a CRD contributes (schema validation, printer columns, status). */
export interface CustomBehaviour {
  validate(info: ResourceInfo, obj: JsonObject): StatusCause[];
  hasStatus(info: ResourceInfo): boolean;
  /** Applies schema defaults and prunes nothing; absent for built-ins. */
  printerColumns(info: ResourceInfo): PrinterColumn[] | undefined;
  /** The declared openAPIV3Schema of a custom resource version. */
  schema(info: ResourceInfo): JsonObject | undefined;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

/** Called after every successful write, e.g. so CRD changes update the registry at once. */
export type WriteListener = (info: ResourceInfo, obj: JsonObject, deleted: boolean) => void | Promise<void>;

/**
 * An admission step run on every create and update (dry runs included) after the object is
 * prepared and before it is stored; throws (e.g. a 403) to refuse the write. `old` is set on
 * updates. RBAC's escalation check is one.
 */
export type WriteCheck = (write: { target: WriteTarget; obj: JsonObject; old?: JsonObject }) => void | Promise<void>;

export interface ApiEnv {
  registry: ResourceRegistry;
  storage: ObjectStorage;
  clock: Clock;
  custom: CustomBehaviour;
  writeListeners: WriteListener[];
  writeChecks: WriteCheck[];
  newUid(): string;
}

export interface ApiRequest {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** The authenticated (or impersonated) user; absent when the server runs without auth. */
  user?: UserInfo;
  /** Warning headers the reply will carry (filled by handlers). */
  warnings?: string[];
}

export const defaultUid = (): string => randomUUID();

/** The field manager of a write: ?fieldManager=, else the user agent's program name. */
export function managerOf(req: Pick<ApiRequest, "query" | "userAgent">): string {
  if (req.query.fieldManager) return req.query.fieldManager;
  const ua = req.userAgent ?? "";
  const name = ua.split("/")[0].trim();
  return name === "" ? "unknown" : name;
}

export function isDryRun(req: Pick<ApiRequest, "query">): boolean {
  return req.query.dryRun === "All";
}

export async function notifyWrite(env: ApiEnv, info: ResourceInfo, obj: JsonObject, deleted: boolean): Promise<void> {
  for (const l of env.writeListeners) await l(info, obj, deleted);
}
