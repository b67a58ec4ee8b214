// Hook annotations. berth reads Helm's `helm.sh/hook*` annotations so Helm charts work
// unchanged, and its own `berth.dev/hook*` ones, which win when both are present.
import { HOOK_EVENTS, type HookEvent, type HookInfo } from "./types.js";

const PREFIXES = ["berth.dev/", "helm.sh/"] as const;

function annotation(annotations: Record<string, unknown>, key: string): string | undefined {
  for (const prefix of PREFIXES) {
    const value = annotations[`${prefix}${key}`];
    if (value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(HOOK_EVENTS);

function isHookEvent(name: string): name is HookEvent {
  return KNOWN_EVENTS.has(name);
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
}

/** The hook a document declares, or undefined for an ordinary manifest. */
export function parseHook(annotations: Record<string, unknown>): HookInfo | undefined {
  const hook = annotation(annotations, "hook");
  if (hook === undefined) return undefined;
  const events: HookEvent[] = [];
  for (const name of list(hook)) {
    const event = name === "test-success" ? "test" : name;
    if (isHookEvent(event) && !events.includes(event)) events.push(event);
  }
  const weightText = annotation(annotations, "hook-weight")?.trim() ?? "";
  const weight = /^[-+]?\d+$/.test(weightText) ? Number(weightText) : 0;
  return { events, weight, deletePolicies: list(annotation(annotations, "hook-delete-policy")) };
}
