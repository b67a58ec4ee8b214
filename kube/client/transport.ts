// HTTP to the API server through client-node's own plumbing (RequestContext, the kubeconfig's
// authentication and TLS dispatcher, its undici-based HTTP library), returning raw JSON so
// objects stay unstructured: client-node's typed deserializer turns timestamps into Dates and
// drops unknown fields, which would corrupt diffs and round trips of custom resources.
// Retries live here: 429 for any call (the server did not act), 5xx and dropped connections for
// idempotent calls, refused connections for any call; waits come from the injected Clock.
import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext, type KubeConfig } from "@kubernetes/client-node";
import { realClock, type Clock } from "../../core/clock.js";
import { KubeError } from "../../core/errors.js";
import { errorFromStatus, parseStatus } from "./errors.js";

export interface RetryPolicy {
  /** Tries in all, the first included (default 5). */
  attempts: number;
  /** First wait in ms, doubled per retry (default 100). */
  baseDelayMs: number;
  /** Longest wait in ms (default 5000). */
  maxDelayMs: number;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiRequest {
  method: Method;
  path: string;
  query?: Query;
  /** Serialised as JSON unless it is a string already. */
  body?: unknown;
  contentType?: string;
  /** Names the call in error messages, e.g. `get deployments/web -n default`. */
  what: string;
}

export interface TransportOptions {
  kubeConfig: KubeConfig;
  server: string;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
}

export interface RequestCounts {
  reads: number;
  writes: number;
  retries: number;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const REFUSED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
const httpLibrary = new IsomorphicFetchHttpLibrary();

export class Transport {
  readonly server: string;
  /** Authentication and TLS for streaming callers (client-node's Watch). */
  readonly kubeConfig: KubeConfig;
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly counts: RequestCounts = { reads: 0, writes: 0, retries: 0 };
  private dispatcher: ReturnType<RequestContext["getDispatcher"]>;

  constructor(options: TransportOptions) {
    this.kubeConfig = options.kubeConfig;
    this.server = options.server.replace(/\/+$/, "");
    this.clock = options.clock ?? realClock;
    this.policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 5000, ...options.retry };
  }

  /** Requests sent so far; writes are every non-GET (what a no-op upgrade should not do). */
  requestCounts(): RequestCounts {
    return { ...this.counts };
  }

  /** Sends the request (retrying what is safe to retry) and returns the parsed JSON reply. */
  async json(req: ApiRequest): Promise<unknown> {
    const idempotent = isIdempotent(req);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.once(req);
      const last = attempt >= this.policy.attempts;
      if (outcome.kind === "ok") return outcome.body;
      if (outcome.kind === "status") {
        const retry = RETRY_STATUS.has(outcome.code) && (outcome.code === 429 || idempotent);
        if (!retry || last) throw errorFromStatus(req.what, parseStatus(outcome.code, outcome.body));
        await this.sleep(outcome.retryAfterMs ?? this.backoff(attempt));
      } else {
        const retry = REFUSED.has(outcome.code) || idempotent;
        if (!retry || last) {
          throw new KubeError(`${req.what}: cannot reach the API server at ${this.server} (${outcome.message})`, {
            cause: outcome.error,
            hint: "check that the cluster is running and the kubeconfig points at it",
          });
        }
        await this.sleep(this.backoff(attempt));
      }
      this.counts.retries++;
    }
  }

  /** An authenticated request context, for callers that stream (watch). */
  async context(path: string, query: Query = {}): Promise<RequestContext> {
    const ctx = new RequestContext(this.url(path, query), HttpMethod.GET);
    await this.authenticate(ctx, `watch ${path}`);
    return ctx;
  }

  private url(path: string, query: Query): string {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  private async authenticate(ctx: RequestContext, what: string): Promise<void> {
    try {
      await this.kubeConfig.applySecurityAuthentication(ctx);
    } catch (err) {
      throw new KubeError(`${what}: cannot authenticate to ${this.server}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private async once(req: ApiRequest): Promise<Outcome> {
    const ctx = new RequestContext(this.url(req.path, req.query ?? {}), HttpMethod[req.method]);
    ctx.setHeaderParam("Accept", "application/json");
    // The server names the field manager of non-apply writes after the user agent.
    ctx.setHeaderParam("User-Agent", "berth");
    if (req.body !== undefined) {
      ctx.setHeaderParam("Content-Type", req.contentType ?? "application/json");
      ctx.setBody(typeof req.body === "string" ? req.body : JSON.stringify(req.body));
    }
    await this.authenticate(ctx, req.what);
    this.reuseConnections(ctx);
    if (req.method === "GET") this.counts.reads++;
    else this.counts.writes++;
    let code: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const res = await httpLibrary.send(ctx).toPromise();
      code = res.httpStatusCode;
      retryAfter = res.headers["retry-after"];
      text = await res.body.text();
    } catch (error) {
      return { kind: "network", error, ...networkCode(error) };
    }
    const body = parseJson(text);
    if (code >= 200 && code < 300) return { kind: "ok", body };
    const seconds = retryAfter === undefined ? NaN : Number(retryAfter);
    const retryAfterMs = Number.isFinite(seconds) ? Math.min(seconds * 1000, this.policy.maxDelayMs) : undefined;
    return { kind: "status", code, body, retryAfterMs };
  }

  /**
   * client-node builds a new undici Agent (its own connection pool) on every request whose
   * kubeconfig carries TLS settings, so each call paid a new connection (and TLS handshake)
   * and left an idle socket open. One Transport stands for one kubeconfig, so its first
   * dispatcher serves all its requests, as client-go keeps one transport per config.
   */
  private reuseConnections(ctx: RequestContext): void {
    const fresh = ctx.getDispatcher();
    if (fresh === undefined) return;
    this.dispatcher ??= fresh;
    ctx.setDispatcher(this.dispatcher);
  }

  private backoff(attempt: number): number {
    return Math.min(this.policy.baseDelayMs * 2 ** (attempt - 1), this.policy.maxDelayMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }
}

type Outcome =
  | { kind: "ok"; body: unknown }
  | { kind: "status"; code: number; body: unknown; retryAfterMs?: number }
  | { kind: "network"; code: string; message: string; error: unknown };

function isIdempotent(req: ApiRequest): boolean {
  if (req.method === "POST") return false;
  if (req.method !== "PATCH") return true;
  return req.contentType === "application/apply-patch+yaml" || req.contentType === "application/merge-patch+json";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** undici reports `fetch failed` with the socket error (or its own reason) as its cause. */
function networkCode(error: unknown): { code: string; message: string } {
  let e: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    if ("code" in e && typeof e.code === "string") return { code: e.code, message: `${e.code}: ${e.message}` };
    message = e.message;
    e = e.cause;
  }
  return { code: "UNKNOWN", message };
}
