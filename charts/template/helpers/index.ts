// Every helper of the dialect, by family. The names and argument orders are Sprig's and
// Helm's; see DESIGN.md "Template dialect".
import { blockHelpers } from "./blocks.js";
import { clusterHelpers } from "./cluster.js";
import { collectionHelpers } from "./collections.js";
import { fileHelpers } from "./files.js";
import { text } from "./goValues.js";
import { logicHelpers } from "./logic.js";
import { serialiseHelpers } from "./serialise.js";
import { helper, type HelperTable } from "./spec.js";
import { stringHelpers } from "./strings.js";

/** Named templates: include, tpl, and define (whose blocks are collected before rendering). */
const templateHelpers: HelperTable = {
  include: helper(1, 2, ([name, ctx], call) => call.runtime.include(text(name), ctx, call)),
  tpl: helper(1, 2, ([source, ctx], call) => call.runtime.tpl(text(source), ctx, call)),
  define: helper(1, 1, () => ""),
  // Handlebars asks helperMissing both for `{{name}}` with no such value (a missing value:
  // renders "") and for a call with arguments (an unknown function: an error, as in Go).
  helperMissing: helper(0, Infinity, (args, call) => {
    if (args.length === 0) return undefined;
    return call.fail(`function ${JSON.stringify(call.options.name)} not defined`);
  }),
};

export function allHelpers(): HelperTable {
  return {
    ...stringHelpers,
    ...logicHelpers,
    ...collectionHelpers,
    ...serialiseHelpers,
    ...fileHelpers,
    ...clusterHelpers,
    ...blockHelpers,
    ...templateHelpers,
  };
}
