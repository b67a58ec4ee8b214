// .helmignore: gitignore-style rules (the `ignore` package) with Helm's differences from
// git kept where they change what a chart contains:
// - leading and trailing spaces are always trimmed (no escapes), as in Helm's parser;
// - "**" is rejected, as Helm rejects it, so a chart that loads here loads in Helm;
// - dotfiles under templates/ are always ignored (Helm's AddDefaults rule `templates/.?*`).
// Negation follows git (the last matching rule wins): Helm's own first-match negation
// ignores every file that does not match the first "!" rule, which no chart relies on.
import ignore, { type Ignore } from "ignore";
import { ChartError } from "../../core/errors.js";

export const HELMIGNORE = ".helmignore";

const DEFAULT_RULES = ["templates/.?*"];

export interface IgnoreRules {
  /** `relPath` uses "/" and is relative to the chart root. */
  ignores(relPath: string, isDir: boolean): boolean;
}

/** Parses .helmignore text; `label` (e.g. "mychart/.helmignore") is used in messages. */
export function parseHelmignore(text: string, label: string): IgnoreRules {
  const matcher: Ignore = ignore();
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const rule = rawLine.trim();
    if (rule === "" || rule.startsWith("#")) return;
    if (rule.includes("**")) {
      throw new ChartError(`${label}:${index + 1}: ${JSON.stringify(rule)}: "**" is not supported in .helmignore (Helm rejects it too)`);
    }
    try {
      matcher.add(rule);
    } catch (err) {
      throw new ChartError(`${label}:${index + 1}: ${JSON.stringify(rule)}: invalid pattern`, { cause: err });
    }
  });
  matcher.add(DEFAULT_RULES);
  return {
    ignores(relPath, isDir) {
      if (relPath === "" || relPath === ".") return false;
      return matcher.ignores(isDir ? `${relPath}/` : relPath);
    },
  };
}

export const NO_IGNORE_RULES: IgnoreRules = parseHelmignore("", HELMIGNORE);
