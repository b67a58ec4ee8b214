// Push payloads of GitHub, Gitea and GitLab: which repository (under every URL spelling the
// payload offers, normalised and deduplicated) and which branch or tag moved.
import { normalizeRepoUrl } from "../git/url.js";

export type WebhookProvider = "github" | "gitea" | "gitlab";

export interface PushInfo {
  /** Normalised URLs of the repository, one per distinct spelling in the payload. */
  repoURLs: string[];
  /** Branch or tag name (refs/heads/ or refs/tags/ stripped); undefined when the payload has none. */
  ref?: string;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(source: unknown, keys: string[]): string[] {
  if (!isRecord(source)) return [];
  return keys.map((k) => source[k]).filter((v): v is string => typeof v === "string" && v.trim() !== "");
}

const URL_KEYS: Record<WebhookProvider, { object: string; keys: string[] }[]> = {
  github: [{ object: "repository", keys: ["clone_url", "ssh_url", "html_url"] }],
  gitea: [{ object: "repository", keys: ["clone_url", "ssh_url", "html_url"] }],
  gitlab: [
    { object: "project", keys: ["git_http_url", "git_ssh_url", "web_url"] },
    { object: "repository", keys: ["git_http_url", "git_ssh_url", "homepage"] },
  ],
};

/** Extracts the repository URLs and ref of a push payload; undefined when it is not one. */
export function parsePush(provider: WebhookProvider, payload: unknown): PushInfo | undefined {
  if (!isRecord(payload)) return undefined;
  const urls = URL_KEYS[provider].flatMap(({ object, keys }) => strings(payload[object], keys));
  const repoURLs = [...new Set(urls.map((u) => normalizeRepoUrl(u)))];
  if (repoURLs.length === 0) return undefined;
  const rawRef = typeof payload.ref === "string" ? payload.ref : undefined;
  const ref = rawRef?.replace(/^refs\/(heads|tags)\//, "");
  return { repoURLs, ref: ref || undefined };
}

/** The payload's JSON: a JSON body, or GitHub's form encoding (`payload=<json>`). */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString("utf8");
  if ((contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) throw new SyntaxError("form body has no payload field");
    return JSON.parse(payload);
  }
  return JSON.parse(text);
}
