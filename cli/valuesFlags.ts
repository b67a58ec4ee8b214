// The values flags shared by template / install / upgrade / lint (DESIGN.md "Values flags").
import type { Command } from "commander";
import type { ValueOverride } from "../charts/values/index.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addValuesOptions(cmd: Command): Command {
  return cmd
    .option("-f, --values <file>", "values YAML file or URL (repeatable; later files win)", collect, [])
    .option("--set <key=value>", "set values (a.b=1,c[0]=x; repeatable)", collect, [])
    .option("--set-string <key=value>", "set STRING values (repeatable)", collect, [])
    .option("--set-file <key=path>", "set a value to a file's content (repeatable)", collect, [])
    .option("--set-json <key=json>", "set JSON values (repeatable)", collect, [])
    .option("--set-literal <key=value>", "set a literal string value, no escapes or splitting (repeatable)", collect, []);
}

export interface ValuesFlagValues {
  values: string[];
  set: string[];
  setString: string[];
  setFile: string[];
  setJson: string[];
  setLiteral: string[];
}

/** The overrides in the order given per flag; readUserValues applies Helm's precedence. */
export function valuesOverrides(opts: ValuesFlagValues): ValueOverride[] {
  return [
    ...opts.values.map((value) => ({ kind: "values" as const, value })),
    ...opts.setJson.map((value) => ({ kind: "set-json" as const, value })),
    ...opts.set.map((value) => ({ kind: "set" as const, value })),
    ...opts.setString.map((value) => ({ kind: "set-string" as const, value })),
    ...opts.setFile.map((value) => ({ kind: "set-file" as const, value })),
    ...opts.setLiteral.map((value) => ({ kind: "set-literal" as const, value })),
  ];
}
