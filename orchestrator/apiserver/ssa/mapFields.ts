// Which fields are maps. kube-apiserver records an Update's managedFields by comparing the
// object with its previous state (with the type's zero value on create); a map that appears
// is "added" itself, so its entry carries "." beside its keys. Structs are never absent in
// the zero value (Go writes them as {}), so they get no ".".
import type { Model } from "../openapi/catalog.js";

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** names: the JSON field names from the root (list items add none; map keys add theirs). */
export type MapPredicate = (names: string[]) => boolean;

function typeAt(catalog: ReadonlyMap<string, Model>, model: string, names: string[]): string | undefined {
  let type = model;
  for (const name of names) {
    const array = ARRAY.exec(type);
    if (array) type = array[1];
    const map = MAP.exec(type);
    if (map) {
      type = map[1];
      continue;
    }
    const field = catalog.get(type)?.fields.find((f) => f.jsonName === name);
    if (!field) return undefined;
    type = field.type;
  }
  const array = ARRAY.exec(type);
  return array ? array[1] : type;
}

/** Maps of a built-in kind, by its client-node model. */
export function builtinMaps(catalog: ReadonlyMap<string, Model>, model: string): MapPredicate {
  return (names) => {
    const type = typeAt(catalog, model, names);
    return type !== undefined && MAP.test(type);
  };
}

/** A custom resource's zero value is empty apart from its metadata: every other object is added. */
export const customMaps: MapPredicate = (names) => !(names.length === 1 && names[0] === "metadata");
