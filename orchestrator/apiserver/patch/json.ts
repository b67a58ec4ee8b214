// JSON patch (RFC 6902) through fast-json-patch, with failures as 422 Invalid naming the op.
import fjp from "fast-json-patch";
import { ApiError, badRequest } from "../errors.js";
import { clone, isObject, type JsonObject } from "../object.js";

function isOperation(v: unknown): v is fjp.Operation {
  return isObject(v) && typeof v.op === "string" && typeof v.path === "string";
}

export function jsonPatch(target: JsonObject, patch: unknown): JsonObject {
  if (!Array.isArray(patch)) throw badRequest("json patch: expected a JSON array of operations");
  const ops = patch.map((op, i) => {
    if (!isOperation(op)) throw badRequest(`json patch: operation ${i}: expected an object with "op" and "path"`);
    return op;
  });
  try {
    const result: unknown = fjp.applyPatch(clone(target), ops, true, true).newDocument;
    if (!isObject(result)) throw badRequest("json patch: the result is not an object");
    return result;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new ApiError(422, "Invalid", `the server rejected our request due to an error in our request: json patch: ${message}`);
  }
}
