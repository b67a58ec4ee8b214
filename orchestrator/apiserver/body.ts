// Request bodies: JSON or YAML text into one JSON object, with Kubernetes' 400 messages.
import { parse as parseYaml } from "yaml";
import { badRequest, unsupportedMediaType } from "./errors.js";
import { isObject, type JsonObject } from "./object.js";

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "application/json").split(";")[0].trim().toLowerCase();
}

function isYaml(type: string): boolean {
  return type === "application/yaml" || type === "application/apply-patch+yaml" || type === "application/x-yaml" || type === "text/yaml";
}

/** Parses JSON or YAML text; any document that is not a single value is a 400. */
export function parseDocument(text: string | undefined, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (text === undefined || text.trim() === "") throw badRequest("the body of the request was empty");
  if (isYaml(type)) {
    try {
      return parseYaml(text, { prettyErrors: false, uniqueKeys: true });
    } catch (err) {
      throw badRequest(`error decoding YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    }
  }
  if (type !== "application/json" && !type.endsWith("+json")) throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function parseObject(text: string | undefined, contentType: string | undefined): JsonObject {
  const doc = parseDocument(text, contentType);
  if (!isObject(doc)) throw badRequest(`Object 'Kind' is missing in '${(text ?? "").slice(0, 80)}'`);
  if (doc.metadata !== undefined && !isObject(doc.metadata)) throw badRequest("metadata: expected an object");
  return doc;
}

/** Query parameter as an integer, or a 400 naming the parameter. */
export function intParam(query: Record<string, string>, name: string): number | undefined {
  const v = query[name];
  if (v === undefined || v === "") return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: expected an integer`);
  return Number(v);
}
