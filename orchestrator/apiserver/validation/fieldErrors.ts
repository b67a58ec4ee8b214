// apimachinery's field.Error constructors (k8s.io/apimachinery/pkg/util/validation/field), so
// causes read as kube-apiserver words them: `Invalid value: -1: must be greater than or equal
// to 0`, `Required value: …`, `Unsupported value: "Always": supported values: "OnFailure", …`.
import { deepEqual } from "../object.js";
import { fieldCause, type StatusCause } from "../errors.js";

/**
 * A bad value as ErrorBody prints it: strings quoted, numbers and booleans bare, null as
 * "null". Go prints structs with %#v; JSON stands in for that.
 */
export function goValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function invalid(field: string, value: unknown, detail: string): StatusCause {
  return fieldCause("FieldValueInvalid", field, `Invalid value: ${goValue(value)}: ${detail}`);
}

/** field.Invalid with field.OmitValueType{}: the detail without a value. */
export function invalidOmitValue(field: string, detail: string): StatusCause {
  return fieldCause("FieldValueInvalid", field, `Invalid value: ${detail}`);
}

export function required(field: string, detail = ""): StatusCause {
  return fieldCause("FieldValueRequired", field, detail === "" ? "Required value" : `Required value: ${detail}`);
}

export function notSupported(field: string, value: unknown, supported: string[]): StatusCause {
  const list = supported.map((s) => JSON.stringify(s)).join(", ");
  return fieldCause("FieldValueNotSupported", field, `Unsupported value: ${goValue(value)}: supported values: ${list}`);
}

export function duplicate(field: string, value: unknown): StatusCause {
  return fieldCause("FieldValueDuplicate", field, `Duplicate value: ${goValue(value)}`);
}

export function tooMany(field: string, actual: number, max: number): StatusCause {
  return { reason: "FieldValueTooMany", field, message: `Too many: ${actual}: must have at most ${max} items` };
}

export function tooLong(field: string, max: number): StatusCause {
  return { reason: "FieldValueTooLong", field, message: `Too long: may not be more than ${max} bytes` };
}

/** ValidateNonnegativeField, for a value that is present. */
export function nonNegative(value: unknown, field: string): StatusCause[] {
  return typeof value === "number" && value < 0 ? [invalid(field, value, "must be greater than or equal to 0")] : [];
}

/** ValidateImmutableField. */
export function immutable(value: unknown, old: unknown, field: string): StatusCause[] {
  return deepEqual(value, old) ? [] : [invalid(field, value, "field is immutable")];
}

export function has(value: unknown): boolean {
  return value !== undefined && value !== null;
}
