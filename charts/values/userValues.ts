// The user's values from the command line, merged with Helm's precedence
// (pkg/cli/values/options.go MergeValues). Each kind is applied in the order its flags were
// given, and the kinds in this order, each later one winning over the earlier:
//   1. -f/--values files        deep merge of maps (Helm's MergeMaps), later files win
//   2. --set-json               `key=<json>` or a whole JSON object (merged like a file)
//   3. --set                    typed scalars
//   4. --set-string             strings
//   5. --set-file               file contents
//   6. --set-literal            verbatim strings
// So `--set a=1 -f x.yaml` still lets --set win over the file whatever the flag order.
import { ValuesError } from "../../core/errors.js";
import type { Values } from "../model.js";
import { parseSetInto, type SetFlag } from "./setParser.js";
import { isTable, mergeMaps } from "./tree.js";
import { readValuesFile } from "./valuesFile.js";

export type ValueOverride = {
  kind: "values" | "set" | "set-string" | "set-json" | "set-file" | "set-literal";
  value: string;
};

export interface ReadUserValuesOptions {
  /** Folder relative -f and --set-file paths are read from. */
  cwd: string;
  /** How `-f -` reads stdin. Default: all of process.stdin. */
  readStdin?: () => Promise<string>;
}

const SET_ORDER: readonly SetFlag[] = ["set-json", "set", "set-string", "set-file", "set-literal"];

export async function readUserValues(overrides: readonly ValueOverride[], options: ReadUserValuesOptions): Promise<Values> {
  let base: Values = {};
  for (const override of overrides) {
    if (override.kind !== "values") continue;
    base = mergeMaps(base, await readValuesFile(override.value, options));
  }
  for (const flag of SET_ORDER) {
    for (const override of overrides) {
      if (override.kind !== flag) continue;
      base = applySet(flag, override.value, base, options.cwd);
    }
  }
  return base;
}

function applySet(flag: SetFlag, expression: string, base: Values, cwd: string): Values {
  const trimmed = expression.trim();
  if (flag === "set-json" && trimmed.startsWith("{")) return mergeMaps(base, parseJsonObject(expression));
  parseSetInto(flag, expression, base, { cwd });
  return base;
}

/** `--set-json '{"a":1}'`: a whole object, merged like a values file (Helm 3.17+). */
function parseJsonObject(expression: string): Values {
  let parsed: unknown;
  try {
    parsed = JSON.parse(expression);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ValuesError(`--set-json "${expression}": invalid JSON object: ${reason}`, { cause: err });
  }
  if (!isTable(parsed)) throw new ValuesError(`--set-json "${expression}": expected a JSON object`);
  return parsed;
}
