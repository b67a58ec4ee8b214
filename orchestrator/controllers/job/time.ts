// Timestamps arrive as strings from a JSON client and as Dates from the typed one; the
// controllers compare milliseconds either way and write Kubernetes' second-precision form.

export function millisOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** "2025-01-01T00:00:00Z": Kubernetes' metav1.Time has second precision. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** metav1.MicroTime, as Leases use it. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000Z");
}

/** A status or spec fragment as JSON to send: Dates and timestamps in second precision. */
export function toWire(value: unknown): unknown {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? rfc3339(millisOf(v) ?? 0) : v));
  return json === undefined ? undefined : (JSON.parse(json) as unknown);
}
