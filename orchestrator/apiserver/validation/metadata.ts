// Labels and annotations: the key and value syntax Kubernetes enforces.
import { fieldCause, type StatusCause } from "../errors.js";
import { isObject, type JsonObject } from "../object.js";

const QUALIFIED = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function validateMetadata(m: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (m.labels !== undefined) {
    if (!isObject(m.labels)) causes.push(fieldCause("FieldValueInvalid", "metadata.labels", "Invalid value: must be a map of strings"));
    else {
      for (const [k, v] of Object.entries(m.labels)) {
        if (!QUALIFIED.test(k)) causes.push(fieldCause("FieldValueInvalid", "metadata.labels", `Invalid value: ${JSON.stringify(k)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`));
        if (typeof v !== "string" || !LABEL_VALUE.test(v)) {
          causes.push(fieldCause("FieldValueInvalid", `metadata.labels`, `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`));
        }
      }
    }
  }
  if (m.annotations !== undefined) {
    if (!isObject(m.annotations) || Object.values(m.annotations).some((v) => typeof v !== "string")) {
      causes.push(fieldCause("FieldValueInvalid", "metadata.annotations", "Invalid value: must be a map of strings"));
    }
  }
  return causes;
}
