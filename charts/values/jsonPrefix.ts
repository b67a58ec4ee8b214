// Finds where the first JSON value in a string ends. `--set-json a={"x":1},b=2` holds several
// JSON values separated by commas that JSON.parse cannot split for us; Helm uses Go's streaming
// json.Decoder for the same job. This scanner only finds the extent; JSON.parse still decides
// whether the text is valid JSON.

export class JsonPrefixError extends Error {}

/** The length of the JSON value at the start of `text` (no leading whitespace expected). */
export function jsonValueLength(text: string): number {
  const first = text[0];
  if (first === undefined) throw new JsonPrefixError("unexpected end of JSON input");
  if (first === '"') return stringEnd(text, 0);
  if (first === "{" || first === "[") return containerEnd(text);
  // Numbers and the literals true / false / null: a run of the characters they can hold.
  const match = /^[-+0-9.eEa-zA-Z]+/.exec(text);
  if (!match) throw new JsonPrefixError(`invalid character ${JSON.stringify(first)} looking for beginning of value`);
  return match[0].length;
}

/** Index just past the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new JsonPrefixError("unexpected end of JSON input in a string");
}

function containerEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i = stringEnd(text, i) - 1;
    } else if (ch === "{" || ch === "[") {
      depth++;
    } else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new JsonPrefixError("unexpected end of JSON input");
}
