// The schedule check kube-apiserver runs on CronJobs: robfig/cron v3's ParseStandard (five
// fields or an @descriptor), returning its error text, which the 422 quotes. cron-parser (what
// the controller evaluates with) is stricter about impossible dates such as "0 0 31 2 *" and
// looser about six fields, so it cannot stand in for the API's check.

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];
const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
/** Go's time.ParseDuration syntax: "1h30m", "90s", "1.5h". */
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;

/** Why robfig's ParseStandard rejects the schedule, or undefined when it parses. */
export function cronScheduleError(schedule: string): string | undefined {
  if (schedule.length === 0) return "empty spec string";
  let spec = schedule;
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const space = spec.indexOf(" ");
    if (space < 0) return `provided bad location ${spec.slice(spec.indexOf("=") + 1)}: unknown time zone`;
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith("@")) return descriptorError(spec);
  const fields = spec.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`;
  for (const [i, field] of fields.entries()) {
    for (const expr of field.split(",")) {
      const err = rangeError(expr, FIELDS[i]);
      if (err) return err;
    }
  }
  return undefined;
}

function descriptorError(spec: string): string | undefined {
  if (DESCRIPTORS.has(spec)) return undefined;
  if (spec.startsWith("@every ")) {
    const d = spec.slice("@every ".length);
    return GO_DURATION.test(d) ? undefined : `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`;
  }
  return `unrecognized descriptor: ${spec}`;
}

function parseInt10(expr: string): number | string {
  if (!/^[+-]?\d+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  const n = Number(expr);
  return n < 0 ? `negative number (${n}) not allowed: ${expr}` : n;
}

function parseIntOrName(expr: string, names: Record<string, number> | undefined): number | string {
  const named = names?.[expr.toLowerCase()];
  return named ?? parseInt10(expr);
}

/** robfig's getRange: "*", "?", "N", "N-M", each with an optional "/step". */
function rangeError(expr: string, r: Bounds): string | undefined {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0].split("-");
  let start = r.min;
  let end = r.max;
  if (lowAndHigh[0] !== "*" && lowAndHigh[0] !== "?") {
    const s = parseIntOrName(lowAndHigh[0], r.names);
    if (typeof s === "string") return s;
    start = s;
    end = s;
    if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1], r.names);
      if (typeof e === "string") return e;
      end = e;
    } else if (lowAndHigh.length > 2) return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const s = parseInt10(rangeAndStep[1]);
    if (typeof s === "string") return s;
    step = s;
    if (lowAndHigh.length === 1) end = r.max;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < r.min) return `beginning of range (${start}) below minimum (${r.min}): ${expr}`;
  if (end > r.max) return `end of range (${end}) above maximum (${r.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}
