// HTTP to the API server: client-node applies the kubeconfig (credentials, CA, client
// certificate, proxy agent) and Node's http(s) module sends the request over kept-alive
// connections, returning raw JSON so objects stay unstructured: client-node's typed
// deserializer turns timestamps into Dates and drops unknown fields, which would corrupt diffs
// and round trips of custom resources. (Its fetch-based HTTP library cost several times the
// CPU per request: web streams, Request objects and abort signals for a few hundred bytes.)
// Retries live here: 429 for any call (the server did not act), 5xx and dropped connections for
// idempotent calls, refused connections for any call; waits come from the injected Clock.
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
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
  /** Default application/json; e.g. a PartialObjectMetadataList negotiation for metadata-only lists. */
  accept?: string;
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

const IDLE_SOCKET_MS = 30_000;
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const REFUSED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

interface Reply {
  code: number;
  retryAfter?: string;
  text: string;
}

export class Transport {
  readonly server: string;
  /** Authentication and TLS for streaming callers (client-node's Watch). */
  readonly kubeConfig: KubeConfig;
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly counts: RequestCounts = { reads: 0, writes: 0, retries: 0 };
  /** Kept-alive connections for this kubeconfig (one Transport stands for one, as client-go). */
  private agent?: http.Agent;
  private staticCredentials?: https.RequestOptions;

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

  private url(path: string, query: Query): string {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  private async once(req: ApiRequest): Promise<Outcome> {
    const headers: http.OutgoingHttpHeaders = { Accept: req.accept ?? "application/json", "User-Agent": "berth" };
    // (The server names the field manager of non-apply writes after the user agent.)
    const body = req.body === undefined ? undefined : typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    if (body !== undefined) {
      headers["Content-Type"] = req.contentType ?? "application/json";
      // Node frames a DELETE's body only with a length (it chunks POST, PUT and PATCH).
      headers["Content-Length"] = Buffer.byteLength(body);
    }
    const credentials = await this.credentials(req.what);
    const options: https.RequestOptions = { ...credentials, method: req.method, headers: { ...credentials.headers, ...headers } };
    if (req.method === "GET") this.counts.reads++;
    else this.counts.writes++;
    let reply: Reply;
    try {
      reply = await send(this.url(req.path, req.query ?? {}), options, body);
    } catch (error) {
      return { kind: "network", error, ...networkCode(error) };
    }
    const parsed = parseJson(reply.text);
    if (reply.code >= 200 && reply.code < 300) return { kind: "ok", body: parsed };
    const seconds = reply.retryAfter === undefined ? NaN : Number(reply.retryAfter);
    const retryAfterMs = Number.isFinite(seconds) ? Math.min(seconds * 1000, this.policy.maxDelayMs) : undefined;
    return { kind: "status", code: reply.code, body: parsed, retryAfterMs };
  }

  /**
   * The kubeconfig applied by client-node: credentials (headers, client certificate), CA and
   * agent. Static credentials are applied once; exec and auth-provider plugins mint tokens
   * that expire, so they are asked on every request (they cache what they mint).
   */
  private async credentials(what: string): Promise<https.RequestOptions> {
    if (this.staticCredentials) return this.staticCredentials;
    const options: https.RequestOptions = { headers: {} };
    try {
      await this.kubeConfig.applyToHTTPSOptions(options);
    } catch (err) {
      throw new KubeError(`${what}: cannot authenticate to ${this.server}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.keepAlive(options);
    const user = this.kubeConfig.getCurrentUser();
    if (!user?.exec && !user?.authProvider) this.staticCredentials = options;
    return options;
  }

  /**
   * client-node's agent for the kubeconfig does not keep connections alive, so every call paid
   * a new connection (and TLS handshake). Without a proxy, one kept-alive agent with the same
   * TLS settings serves all of this Transport's requests; a proxy keeps client-node's agent.
   * Idle connections close after IDLE_SOCKET_MS (sooner when the server's Keep-Alive header
   * says so), before a server drops them under a request being sent.
   */
  private keepAlive(options: https.RequestOptions): void {
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl) return;
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
    const pool = { keepAlive: true, timeout: IDLE_SOCKET_MS };
    this.agent ??= this.server.startsWith("https:") ? new https.Agent({ ...pool, ca, cert, key, pfx, passphrase, rejectUnauthorized, servername }) : new http.Agent(pool);
    options.agent = this.agent;
  }

  private backoff(attempt: number): number {
    return Math.min(this.policy.baseDelayMs * 2 ** (attempt - 1), this.policy.maxDelayMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }
}

/** One request; the caller decides about retries (a dropped POST may have been applied). */
function send(url: string, options: https.RequestOptions, body: string | undefined): Promise<Reply> {
  const module = url.startsWith("https:") ? https : http;
  return new Promise<Reply>((resolve, reject) => {
    const request = module.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const retryAfter = res.headers["retry-after"];
        resolve({ code: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    request.on("error", reject);
    request.end(body);
  });
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
