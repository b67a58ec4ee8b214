// Block helpers with Go template semantics: `#if` / `#unless` / `#with` use Go's emptiness
// (an empty map or list is false, unlike Handlebars), `#each` walks maps in sorted key
// order as Go's range does, and sets @index, @key, @first, @last. `#with` skips its block
// for an empty value and renders `{{else}}` instead.
import { isEmpty, isPlainObject } from "./goValues.js";
import { helper, type HelperCall, type HelperTable } from "./spec.js";

function branch(cond: boolean, ctx: unknown, call: HelperCall): string {
  const { fn, inverse, data } = call.options;
  const block = cond ? fn : inverse;
  return block === undefined ? "" : block(ctx, { data });
}

function requireBlock(call: HelperCall): NonNullable<HelperCall["options"]["fn"]> {
  const fn = call.options.fn;
  if (fn === undefined) return call.fail(`${call.name} must be used as a block: {{#${call.name} ...}}...{{/${call.name}}}`);
  return fn;
}

function each(collection: unknown, call: HelperCall): string {
  const fn = requireBlock(call);
  const entries: [string | number, unknown][] = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : isPlainObject(collection)
      ? Object.keys(collection)
          .sort()
          .map((k) => [k, collection[k]])
      : [];
  if (collection !== undefined && collection !== null && !Array.isArray(collection) && !isPlainObject(collection)) {
    call.fail(`each: cannot iterate over ${typeof collection === "string" ? JSON.stringify(collection) : String(collection)}`);
  }
  if (entries.length === 0) return branch(false, call.self, call);
  let out = "";
  entries.forEach(([key, value], index) => {
    const data = call.runtime.createFrame(call.options.data);
    data.index = index;
    data.key = key;
    data.first = index === 0;
    data.last = index === entries.length - 1;
    out += fn(value, { data, blockParams: [value, key] });
  });
  return out;
}

export const blockHelpers: HelperTable = {
  if: helper(1, 1, ([cond], call) => branch(!isEmpty(cond), call.self, call)),
  unless: helper(1, 1, ([cond], call) => branch(isEmpty(cond), call.self, call)),
  with: helper(1, 1, ([value], call) => {
    requireBlock(call);
    return isEmpty(value) ? branch(false, call.self, call) : branch(true, value, call);
  }),
  each: helper(1, 1, ([collection], call) => each(collection, call)),
};
