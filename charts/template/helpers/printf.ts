// Go's fmt.Sprintf for the verbs charts use: %s %d %v %q %f %t %x %X %e %g %%, with the
// flags - + 0 and space, width and precision. Mistakes print Go's markers (%!d(MISSING),
// %!d(string=x), %!(EXTRA ...)) instead of failing, as Go does. One leniency: %s prints any
// value as %v would, because Helm's values are often numbers where charts expect strings.
import { formatValue, goQuote, goTypeName, strval } from "./goValues.js";

interface Spec {
  flags: string;
  width?: number;
  precision?: number;
  verb: string;
}

const VERB = /%([-+ 0#]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])/g;

export function sprintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  const out = format.replace(VERB, (_m, flags: string, width?: string, precision?: string, verb = "") => {
    if (verb === "%") return "%";
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const spec: Spec = {
      flags,
      width: width === undefined ? undefined : Number(width),
      precision: precision === undefined ? undefined : Number(precision || "0"),
      verb,
    };
    return pad(formatOne(spec, args[next++]), spec);
  });
  if (next >= args.length) return out;
  const extra = args.slice(next).map((a) => `${goTypeName(a)}=${formatValue(a)}`);
  return `${out}%!(EXTRA ${extra.join(", ")})`;
}

function bad(spec: Spec, value: unknown): string {
  return `%!${spec.verb}(${goTypeName(value)}=${formatValue(value)})`;
}

function formatOne(spec: Spec, value: unknown): string {
  switch (spec.verb) {
    case "v":
    case "s":
      return truncate(spec.verb === "s" ? strval(value) : formatValue(value), spec.precision);
    case "q":
      return goQuote(strval(value));
    case "t":
      return typeof value === "boolean" ? String(value) : bad(spec, value);
    case "d":
      return typeof value === "number" && Number.isInteger(value) ? sign(spec, value, String(Math.abs(value))) : bad(spec, value);
    case "f":
    case "F":
      return typeof value === "number" ? sign(spec, value, Math.abs(value).toFixed(spec.precision ?? 6)) : bad(spec, value);
    case "e":
      return typeof value === "number" ? sign(spec, value, goExponent(Math.abs(value), spec.precision ?? 6)) : bad(spec, value);
    case "g":
      return typeof value === "number" ? sign(spec, value, String(Math.abs(value))) : bad(spec, value);
    case "x":
    case "X":
      return hex(spec, value);
    default:
      return bad(spec, value);
  }
}

function hex(spec: Spec, value: unknown): string {
  let s: string;
  if (typeof value === "number" && Number.isInteger(value)) s = sign(spec, value, Math.abs(value).toString(16));
  else if (typeof value === "string" || Buffer.isBuffer(value)) s = Buffer.from(value).toString("hex");
  else return bad(spec, value);
  return spec.verb === "X" ? s.toUpperCase() : s;
}

function sign(spec: Spec, value: number, digits: string): string {
  if (value < 0 || Object.is(value, -0)) return `-${digits}`;
  if (spec.flags.includes("+")) return `+${digits}`;
  if (spec.flags.includes(" ")) return ` ${digits}`;
  return digits;
}

function goExponent(n: number, precision: number): string {
  const [mantissa, exp = "0"] = n.toExponential(precision).split("e");
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

function truncate(s: string, precision: number | undefined): string {
  return precision === undefined ? s : [...s].slice(0, precision).join("");
}

function pad(s: string, spec: Spec): string {
  const width = spec.width ?? 0;
  const length = [...s].length;
  if (length >= width) return s;
  const fill = width - length;
  if (spec.flags.includes("-")) return s + " ".repeat(fill);
  const numeric = "dfFeEgxX".includes(spec.verb) && !s.startsWith("%!");
  if (spec.flags.includes("0") && numeric) {
    const signChar = /^[-+ ]/.test(s) ? s[0] : "";
    return signChar + "0".repeat(fill) + s.slice(signChar.length);
  }
  return " ".repeat(fill) + s;
}
