// git's own smart HTTP server, `git http-backend`, run as a CGI: the request body streams into
// its stdin, and its stdout is a CGI response (headers, blank line, body) streamed back.
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, type TransformCallback } from "node:stream";
import { baseEnv } from "./exec.js";

export interface CgiRequest {
  projectRoot: string;
  /** /<name>.git/<service path>, already validated. */
  pathInfo: string;
  method: string;
  queryString: string;
  remoteUser?: string;
  remoteAddr?: string;
  /** Request body size cap in bytes (the request is cut off beyond it). */
  maxBodyBytes: number;
  raw: IncomingMessage;
  res: ServerResponse;
  onStderr?: (text: string) => void;
}

const GIT_PROTOCOL = /^[A-Za-z0-9=:._-]+$/;

/** Runs one request through `git http-backend`; resolves with its exit code once the response ended. */
export function runHttpBackend(request: CgiRequest): Promise<number> {
  const headers = request.raw.headers;
  const env = baseEnv({
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: request.pathInfo,
    REQUEST_METHOD: request.method,
    QUERY_STRING: request.queryString,
    CONTENT_TYPE: headerValue(headers["content-type"]) ?? "",
    REMOTE_ADDR: request.remoteAddr ?? "",
    ...(request.remoteUser ? { REMOTE_USER: request.remoteUser } : {}),
  });
  const length = headerValue(headers["content-length"]);
  if (length !== undefined && /^\d+$/.test(length)) env.CONTENT_LENGTH = length;
  // http-backend inflates gzip request bodies itself (git clients gzip large negotiation requests).
  const encoding = headerValue(headers["content-encoding"]);
  if (encoding !== undefined && /^(x-)?gzip$/i.test(encoding)) env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = headerValue(headers["git-protocol"]);
  if (protocol !== undefined && GIT_PROTOCOL.test(protocol)) env.GIT_PROTOCOL = protocol;

  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.on("error", () => undefined);
  if (request.method === "POST") {
    request.raw.pipe(new ByteLimit(request.maxBodyBytes)).on("error", () => child.kill()).pipe(child.stdin);
  } else {
    child.stdin.end();
  }
  child.stderr.setEncoding("utf8").on("data", (text: string) => request.onStderr?.(text));
  const parser = new CgiResponseWriter(request.res);
  child.stdout.on("data", (chunk: Buffer) => parser.write(chunk));
  return new Promise((resolve) => {
    child.on("error", () => {
      parser.fail();
      resolve(1);
    });
    child.on("close", (code) => {
      parser.end();
      resolve(code ?? 1);
    });
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Buffers CGI output until the header block ends, then writes status, headers and body. */
class CgiResponseWriter {
  private pending: Buffer[] = [];
  private started = false;

  constructor(private readonly res: ServerResponse) {}

  write(chunk: Buffer): void {
    if (this.started) {
      this.res.write(chunk);
      return;
    }
    this.pending.push(chunk);
    const buffered = Buffer.concat(this.pending);
    const end = findHeaderEnd(buffered);
    if (!end) return;
    this.started = true;
    this.pending = [];
    const { status, headers } = parseCgiHeaders(buffered.subarray(0, end.headerEnd).toString("latin1"));
    this.res.writeHead(status, headers);
    const body = buffered.subarray(end.bodyStart);
    if (body.length > 0) this.res.write(body);
  }

  end(): void {
    if (!this.started) return this.fail();
    this.res.end();
  }

  fail(): void {
    if (this.started || this.res.headersSent) {
      this.res.destroy();
      return;
    }
    this.started = true;
    this.res.writeHead(500, { "content-type": "text/plain" });
    this.res.end("git http-backend failed\n");
  }
}

function findHeaderEnd(buffer: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  const crlf = buffer.indexOf("\r\n\r\n");
  const lf = buffer.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerEnd: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headerEnd: lf, bodyStart: lf + 2 };
  return undefined;
}

export function parseCgiHeaders(block: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

/** Passes bytes through until `limit`, then errors (which kills the backend: no partial push lands). */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(new Error(`request body over ${this.limit} bytes`));
    else callback(null, chunk);
  }
}
