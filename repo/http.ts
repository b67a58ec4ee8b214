// The one HTTP GET the repository client makes: bounded in time and size, with basic auth
// only for the repository's own origin, and every failure a one-line RepoError naming the URL.
import { RepoError } from "../core/errors.js";

export interface Credentials {
  username: string;
  password: string;
}

export interface FetchOptions {
  /** Sent only when the URL's origin equals `credentialsOrigin` (never leaked to other hosts). */
  credentials?: Credentials;
  credentialsOrigin?: string;
  /** Largest body accepted. */
  maxBytes: number;
  /** Default 60 s. */
  timeoutMs?: number;
}

export function parseHttpUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new RepoError(`${what}: ${JSON.stringify(raw)} is not a valid URL`, { cause: err });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RepoError(`${what}: ${JSON.stringify(raw)}: only http:// and https:// URLs are supported`);
  }
  return url;
}

/** A URL safe to print: without user:password. */
export function displayUrl(url: URL | string): string {
  const u = new URL(url.toString());
  u.username = "";
  u.password = "";
  return u.toString();
}

export async function fetchBytes(url: URL, options: FetchOptions): Promise<Buffer> {
  const headers: Record<string, string> = { "user-agent": "berth" };
  const creds = options.credentials;
  if (creds && options.credentialsOrigin === url.origin) {
    headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
  }
  const shown = displayUrl(url);
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: "follow", signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
  } catch (err) {
    throw new RepoError(`GET ${shown}: repository unreachable: ${networkReason(err)}`, { cause: err });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    const hint = response.status === 401 || response.status === 403 ? "check the repository's --username / --password" : undefined;
    throw new RepoError(`GET ${shown}: HTTP ${response.status} ${response.statusText}`.trim(), { hint });
  }
  return readBounded(response, { shown, maxBytes: options.maxBytes });
}

async function readBounded(response: Response, ctx: { shown: string; maxBytes: number }): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > ctx.maxBytes) {
    await response.body?.cancel();
    throw new RepoError(`GET ${ctx.shown}: response of ${declared} bytes exceeds the ${ctx.maxBytes}-byte limit`);
  }
  const body = response.body;
  if (body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > ctx.maxBytes) {
        await body.cancel().catch(() => undefined);
        throw new RepoError(`GET ${ctx.shown}: response exceeds the ${ctx.maxBytes}-byte limit`);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof RepoError) throw err;
    throw new RepoError(`GET ${ctx.shown}: download failed: ${networkReason(err)}`, { cause: err });
  }
  return Buffer.concat(chunks);
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return "timed out";
  let current: unknown = err;
  let reason = err instanceof Error ? err.message : String(err);
  while (current instanceof Error && current.cause !== undefined) {
    current = current.cause;
    if (current instanceof Error && current.message) reason = current.message;
  }
  return reason;
}
