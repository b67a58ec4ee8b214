// Kubernetes resource quantities ("100m", "1.5", "128Mi", "1G", "2e3"), parsed exactly with
// BigInt so that "0.1" CPU is 100 millicores and not 99.99…; the scheduler and the simulated
// nodes must agree to the unit on what fits. Grammar (apimachinery resource.Quantity):
//   quantity ::= sign? (digits | digits "." digits? | "." digits) suffix
//   suffix   ::= binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (n u m "" k M G T P E) | [eE] signed int
import { BerthError } from "../../core/errors.js";

/** A quantity that does not follow Kubernetes' grammar. */
export class QuantityError extends BerthError {
  override readonly code: string = "QUANTITY_INVALID";
  override readonly httpStatus = 422;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SHAPE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE]?)$/;

/** A quantity as mantissa × 10^exp10 × 2^exp2, exactly. */
interface Exact {
  mantissa: bigint;
  exp10: number;
  exp2: number;
}

function parseExact(text: string): Exact {
  const match = SHAPE.exec(text.trim());
  if (!match) {
    throw new QuantityError(`invalid quantity "${text}"`, {
      hint: "use a number with an optional suffix, e.g. 500m, 2, 1.5, 128Mi, 1G",
    });
  }
  const [, sign, number, suffix] = match;
  const [whole, fraction = ""] = number.split(".");
  let mantissa = BigInt((whole || "0") + fraction);
  if (sign === "-") mantissa = -mantissa;
  let exp10 = -fraction.length;
  let exp2 = 0;
  if (suffix in BINARY) exp2 = BINARY[suffix];
  else if (suffix in DECIMAL) exp10 += DECIMAL[suffix];
  else exp10 += Number(suffix.slice(1));
  if (Math.abs(exp10) > 100) throw new QuantityError(`quantity "${text}" is out of range`);
  return { mantissa, exp10, exp2 };
}

/** The quantity × 10^scale, rounded up to an integer (as Kubernetes' ScaledValue rounds). */
function scaledCeil(exact: Exact, scale: number): number {
  let numerator = exact.mantissa * 2n ** BigInt(exact.exp2);
  let denominator = 1n;
  const exp10 = exact.exp10 + scale;
  if (exp10 >= 0) numerator *= 10n ** BigInt(exp10);
  else denominator = 10n ** BigInt(-exp10);
  let quotient = numerator / denominator;
  if (numerator % denominator !== 0n && numerator > 0n) quotient += 1n;
  return Number(quotient);
}

/** The quantity in base units (bytes, cores, counts), rounded up: "1.5Gi" → 1610612736. */
export function parseQuantity(text: string): number {
  return scaledCeil(parseExact(text), 0);
}

/** The quantity in thousandths, rounded up: "100m" → 100, "1.5" → 1500, "1n" → 1. */
export function parseMilliQuantity(text: string): number {
  return scaledCeil(parseExact(text), 3);
}

/** Whether text is a valid quantity, for validating flags before they reach the API. */
export function isQuantity(text: string): boolean {
  return SHAPE.test(text.trim());
}

/** Millicores as Kubernetes prints them: 4000 → "4", 1500 → "1500m". */
export function formatMilliCPU(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes in the largest binary unit that divides them exactly: 8589934592 → "8Gi". */
export function formatBytes(bytes: number): string {
  for (const [suffix, shift] of Object.entries(BINARY).reverse()) {
    const unit = 2 ** shift;
    if (bytes !== 0 && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
