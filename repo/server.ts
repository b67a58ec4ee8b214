// `berth repo serve DIR`: a static chart repository over HTTP. Only index.yaml, *.tgz and
// *.prov files inside DIR are served; paths that leave DIR (.., encoded slashes, symlinks
// pointing out) are 404. Responses carry a strong ETag over the content, so clients polling
// index.yaml get 304 Not Modified. Optional basic auth compares in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { NotFoundError, UsageError } from "../core/errors.js";
import type { Credentials } from "./http.js";

export interface RepoServerOptions {
  /** Require these credentials (basic auth) on every request. */
  auth?: Credentials;
}

const CONTENT_TYPES: [suffix: string, type: string][] = [
  ["index.yaml", "application/yaml; charset=utf-8"],
  [".tgz", "application/gzip"],
  [".prov", "text/plain; charset=utf-8"],
];

export async function buildRepoServer(dir: string, options: RepoServerOptions = {}): Promise<FastifyInstance> {
  const root = await realpath(dir).catch(() => undefined);
  if (root === undefined || !(await stat(root)).isDirectory()) throw new NotFoundError(`repo serve: ${dir} is not a folder`);
  const app = Fastify({ logger: false });
  const expected = options.auth ? digestOf(`${options.auth.username}:${options.auth.password}`) : undefined;
  app.addHook("onRequest", async (request, reply) => {
    if (expected === undefined || authorized(request, expected)) return;
    await reply.code(401).header("www-authenticate", 'Basic realm="berth chart repository"').type("text/plain").send("401 Unauthorized\n");
  });
  const handler = (request: FastifyRequest, reply: FastifyReply) => serveFile(root, request, reply);
  app.get("/", handler);
  app.get("/*", handler);
  return app;
}

async function serveFile(root: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const file = await resolveFile(root, request.url);
  if (file === undefined) return reply.code(404).type("text/plain").send("404 Not Found\n");
  const data = await readFile(file.path);
  const etag = `"${createHash("sha256").update(data).digest("hex").slice(0, 32)}"`;
  reply.header("etag", etag).header("cache-control", "no-cache").type(file.contentType);
  if (matchesEtag(request.headers["if-none-match"], etag)) return reply.code(304).send();
  return reply.send(data);
}

interface ServedFile {
  path: string;
  contentType: string;
}

async function resolveFile(root: string, url: string): Promise<ServedFile | undefined> {
  const rawPath = url.split("?")[0] ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.length === 0) segments.push("index.yaml");
  if (segments.some((s) => s === "." || s === ".." || s.startsWith(".") || s.includes("\\") || s.includes("\0"))) return undefined;
  const name = segments[segments.length - 1] ?? "";
  const type = CONTENT_TYPES.find(([suffix]) => (suffix === "index.yaml" ? name === suffix : name.endsWith(suffix)));
  if (type === undefined) return undefined;
  const candidate = path.join(root, ...segments);
  // realpath follows symlinks, so a link inside DIR that points outside is refused too.
  const real = await realpath(candidate).catch(() => undefined);
  if (real === undefined || !real.startsWith(root + path.sep)) return undefined;
  const info = await stat(real).catch(() => undefined);
  return info?.isFile() ? { path: real, contentType: type[1] } : undefined;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

function digestOf(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Hashing both sides first gives equal-length buffers, so timingSafeEqual never leaks the length. */
function authorized(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization;
  if (header === undefined || !/^basic /i.test(header)) return false;
  const given = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  return timingSafeEqual(digestOf(given), expected);
}

export interface ServeOptions extends RepoServerOptions {
  port?: number;
  address?: string;
}

export interface RunningRepoServer {
  url: string;
  close(): Promise<void>;
}

export async function serveRepo(dir: string, options: ServeOptions = {}): Promise<RunningRepoServer> {
  const app = await buildRepoServer(dir, options);
  const host = options.address ?? "127.0.0.1";
  try {
    await app.listen({ port: options.port ?? 8879, host });
  } catch (err) {
    await app.close();
    const reason = err instanceof Error ? err.message : String(err);
    throw new UsageError(`repo serve: cannot listen on ${host}:${options.port ?? 8879}: ${reason}`, { cause: err });
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 8879);
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}/`, close: () => app.close() };
}
