// IntOrString fields (maxSurge, maxUnavailable) resolved against a total with Kubernetes'
// rounding: intstr.GetScaledValueFromIntOrPercent rounds surge up and unavailability down.
import { BerthError } from "../../../core/errors.js";

export type IntOrString = number | string;

export function resolveIntOrPercent(value: IntOrString | undefined, total: number, options: { roundUp: boolean; fallback: number }): number {
  if (value === undefined) return options.fallback;
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new BerthError(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: must be an integer or a percentage`);
  }
  const scaled = (Number(match[1]) * total) / 100;
  return options.roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
