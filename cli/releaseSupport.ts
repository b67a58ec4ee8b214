// Shared by the release commands: the action context from the global flags, durations, and
// the shapes releases print as (Helm's layouts for table output).
import type { Command } from "commander";
import { realClock } from "../core/clock.js";
import { UsageError } from "../core/errors.js";
import type { ActionContext } from "../release/context.js";
import type { Release } from "../release/model.js";
import { globalOptions, type GlobalOptions } from "./globals.js";

export interface CommandContext {
  ctx: ActionContext;
  namespace: string;
  global: GlobalOptions;
}

/** Connects to the target cluster named by the kubeconfig flags. */
export async function commandContext(cmd: Command, options: { probe?: boolean } = {}): Promise<CommandContext> {
  const global = globalOptions(cmd);
  const { connectKubeTarget } = await import("../release/kubeTarget.js");
  const { SecretsReleaseStorage } = await import("../release/storage/index.js");
  const { target, namespace } = await connectKubeTarget({
    clock: realClock,
    probe: options.probe !== false,
    progress: process.stderr,
    ...(global.kubeconfig ? { kubeconfig: global.kubeconfig } : {}),
    ...(global.context ? { context: global.context } : {}),
    ...(global.namespace ? { namespace: global.namespace } : {}),
  });
  const ctx: ActionContext = {
    storage: new SecretsReleaseStorage(target.secrets),
    target,
    clock: realClock,
  };
  return { ctx, namespace, global };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as Helm takes them: "5m", "1m30s", "300s", "90" (seconds). */
export function parseDuration(text: string, flag = "--timeout"): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new UsageError(`${flag}: expected a duration like 5m, 90s or 1m30s, got "${text}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}

export function parseRevision(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new UsageError(`${flag}: expected a revision number (1, 2, ...), got "${text}"`);
  return Number(text);
}

/** A whole number flag (0 allowed): --max, --offset, --history-max. */
export function parseCount(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: expected a whole number (0, 1, 2, ...), got "${text}"`);
  return Number(text);
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Helm prints times as Go's ANSIC layout in local time, e.g. "Mon Jan  2 15:04:05 2006". */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Fixed English names, as Go prints them; toLocaleString per call is slow (list of 1,000).
  const day = WEEKDAYS[d.getDay()];
  const month = MONTHS[d.getMonth()];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day} ${month} ${String(d.getDate()).padStart(2, " ")} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}

export function chartLabel(r: Release): string {
  return `${r.chart.metadata.name}-${r.chart.metadata.version}`;
}

/** What -o json|yaml prints for one release: the record without the stored chart files. */
export function releaseView(r: Release): Record<string, unknown> {
  return {
    name: r.name,
    namespace: r.namespace,
    revision: r.version,
    status: r.info.status,
    chart: chartLabel(r),
    appVersion: r.chart.metadata.appVersion ?? "",
    info: { ...r.info, lock: undefined },
    config: r.config,
    manifest: r.manifest,
    hooks: r.hooks.map((h) => ({ name: h.name, kind: h.kind, events: h.events, weight: h.weight, lastRun: h.lastRun })),
  };
}

/** `helm install` / `helm status` text. */
export function statusText(r: Release, options: { showNotes?: boolean; showDescription?: boolean } = {}): string {
  const lines = [
    `NAME: ${r.name}`,
    `LAST DEPLOYED: ${formatTime(r.info.lastDeployed)}`,
    `NAMESPACE: ${r.namespace}`,
    `STATUS: ${r.info.status}`,
    `REVISION: ${r.version}`,
  ];
  // A failure's reason is always worth a line; other descriptions with --show-desc, as in Helm.
  if (r.info.description && (r.info.status === "failed" || options.showDescription)) lines.push(`DESCRIPTION: ${r.info.description}`);
  const tests = r.hooks.filter((h) => h.events.includes("test") && h.lastRun.phase !== "Unknown");
  if (tests.length > 0) {
    lines.push(`TEST SUITE:     ${r.name}`);
    for (const t of tests) lines.push(`  ${t.kind}/${t.name}: ${t.lastRun.phase}`);
  }
  const text = lines.join("\n") + "\n";
  return options.showNotes !== false && r.info.notes ? `${text}NOTES:\n${r.info.notes.trimEnd()}\n` : text;
}
