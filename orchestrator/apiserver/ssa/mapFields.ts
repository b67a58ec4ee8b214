// Which fields are maps. kube-apiserver records an Update's managedFields by comparing the
// object with its previous state (with the type's zero value on create); a map that appears
// is "added" itself, so its entry carries "." beside its keys. Structs are never absent in
// the zero value (Go writes them as {}), so they get no ".".
import type { Model } from "../openapi/catalog.js";

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** names: the JSON field names from the root (list items add none; map keys add theirs). */
export type MapPredicate = (names: string[]) => boolean;

interface TypeSteps {
  /** The type with one Array<…> taken off, as typeAt does before each step and at the end. */
  element: string;
  /** The value type when element is a map. */
  mapValue?: string;
  /** Struct field types by JSON name, found on first use. */
  fields: Map<string, string | undefined>;
}

/** Type expressions parsed once per model: predicates run for every object of every write. */
function stepsOf(cache: Map<string, TypeSteps>, type: string): TypeSteps {
  let steps = cache.get(type);
  if (!steps) {
    const element = ARRAY.exec(type)?.[1] ?? type;
    steps = { element, mapValue: MAP.exec(element)?.[1], fields: new Map() };
    cache.set(type, steps);
  }
  return steps;
}

function typeAt(catalog: ReadonlyMap<string, Model>, cache: Map<string, TypeSteps>, model: string, names: string[]): string | undefined {
  let type = model;
  for (const name of names) {
    const steps = stepsOf(cache, type);
    if (steps.mapValue !== undefined) {
      type = steps.mapValue;
      continue;
    }
    let next = steps.fields.get(name);
    if (next === undefined && !steps.fields.has(name)) {
      next = catalog.get(steps.element)?.fields.find((f) => f.jsonName === name)?.type;
      steps.fields.set(name, next);
    }
    if (next === undefined) return undefined;
    type = next;
  }
  return stepsOf(cache, type).element;
}

/** Maps of a built-in kind, by its client-node model. */
export function builtinMaps(catalog: ReadonlyMap<string, Model>, model: string): MapPredicate {
  const cache = new Map<string, TypeSteps>();
  return (names) => {
    const type = typeAt(catalog, cache, model, names);
    return type !== undefined && stepsOf(cache, type).mapValue !== undefined;
  };
}

/** A custom resource's zero value is empty apart from its metadata: every other object is added. */
export const customMaps: MapPredicate = (names) => !(names.length === 1 && names[0] === "metadata");
