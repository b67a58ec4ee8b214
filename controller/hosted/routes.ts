// /git/<name>.git/... : berth's hosted repositories over git smart HTTP. Only the smart
// protocol's three endpoints are served; pushes need a token (Basic auth, token as password),
// reads need one too unless anonymous read is on. After a push, every branch or tag that moved
// is reported as a RepoChange, found by comparing refs before and after under a per-repository
// lock (so concurrent pushes each see exactly their own moves, never none).
import { existsSync } from "node:fs";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { diffRefs } from "../git/mirror.js";
import type { RepoChange } from "../git/types.js";
import { normalizeRepoUrl } from "../git/url.js";
import { tokenFromAuthorization, type TokenVerifier } from "./auth.js";
import { runHttpBackend } from "./cgi.js";
import { readRefs } from "./exec.js";
import { hostedRepoDir, isValidRepoName } from "./names.js";

export interface HostedLogger {
  warn(message: string): void;
}

export interface HostedGitRouteOptions {
  /** Folder holding the bare repositories (<name>.git). */
  root: string;
  tokens: TokenVerifier;
  onPush: (change: RepoChange) => void;
  /** Allow clone / fetch without a token (default false). Pushes always need one. */
  anonymousRead?: boolean;
  /** Base URL clients use, e.g. http://127.0.0.1:8080, for the repoURL of push changes (default: from the Host header). */
  publicURL?: string | (() => string);
  /** Largest request body (a push's pack) in bytes (default 1 GiB). */
  maxBodyBytes?: number;
  logger?: HostedLogger;
}

const ROUTE = /^\/git\/([^/?#]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;
const SERVICES = new Set(["git-upload-pack", "git-receive-pack"]);

interface GitRequest {
  name: string;
  dir: string;
  endpoint: string;
  service: string;
  query: string;
}

function parseGitRequest(root: string, rawUrl: string, method: string): GitRequest | { status: number; error: string } {
  const [pathname, query = ""] = rawUrl.split("?", 2);
  const match = ROUTE.exec(pathname);
  if (!match) return { status: 404, error: "not a git smart HTTP endpoint" };
  const [, name, endpoint] = match;
  if (!isValidRepoName(name)) return { status: 400, error: "invalid repository name" };
  const service = endpoint === "info/refs" ? new URLSearchParams(query).get("service") ?? "" : endpoint;
  if (!SERVICES.has(service)) return { status: 403, error: "only the smart HTTP protocol is served" };
  if ((endpoint === "info/refs") !== (method === "GET")) return { status: 405, error: "method not allowed" };
  return { name, dir: hostedRepoDir(root, name), endpoint, service, query };
}

export function registerHostedGitRoutes(app: FastifyInstance, options: HostedGitRouteOptions): void {
  const locks = new Map<string, Promise<void>>();
  void app.register(async (scope) => {
    // Bodies stay unread streams: they go to git as they arrive.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
    scope.route({
      method: ["GET", "POST"],
      url: "/git/*",
      handler: async (request, reply) => {
        const parsed = parseGitRequest(options.root, request.raw.url ?? "", request.method);
        if ("error" in parsed) return reply.code(parsed.status).send({ error: parsed.error });
        const user = await authenticate(request, options.tokens);
        const needsUser = parsed.service === "git-receive-pack" || !options.anonymousRead;
        if (needsUser && !user) return challenge(reply);
        if (!existsSync(parsed.dir)) return reply.code(404).send({ error: `repository ${parsed.name} not found` });
        reply.hijack();
        try {
          await respond(request, reply, parsed, user, { ...options, locks });
        } catch (err) {
          options.logger?.warn(`hosted git ${parsed.name}: ${err instanceof Error ? err.message : String(err)}`);
          if (!reply.raw.headersSent) reply.raw.writeHead(500, { "content-type": "text/plain" }).end("internal error\n");
          else reply.raw.destroy();
        }
      },
    });
  });
}

/** Serves the request; for a push, reports each ref it moved once git is done. */
async function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  parsed: GitRequest,
  user: string | undefined,
  options: HostedGitRouteOptions & { locks: Map<string, Promise<void>> },
): Promise<void> {
  if (parsed.endpoint !== "git-receive-pack") {
    await serve(request, reply, parsed, user, options);
    return;
  }
  await withLock(options.locks, parsed.dir, async () => {
    const before = await readRefs(parsed.dir);
    const code = await serve(request, reply, parsed, user, options);
    if (code !== 0) return;
    const moves = diffRefs(before, await readRefs(parsed.dir));
    const repoURL = normalizeRepoUrl(`${baseURL(request, options)}/git/${parsed.name}.git`);
    for (const move of moves) {
      options.onPush({ repoURL, ref: move.ref.replace(/^refs\/(heads|tags)\//, ""), via: "hosted-push" });
    }
  });
}

async function authenticate(request: FastifyRequest, tokens: TokenVerifier): Promise<string | undefined> {
  const token = tokenFromAuthorization(request.headers.authorization);
  return token === undefined ? undefined : tokens.verify(token);
}

function challenge(reply: FastifyReply): FastifyReply {
  return reply.code(401).header("www-authenticate", 'Basic realm="berth"').send({ error: "authentication required: use a berth token as the password" });
}

function serve(request: FastifyRequest, reply: FastifyReply, parsed: GitRequest, user: string | undefined, options: HostedGitRouteOptions): Promise<number> {
  return runHttpBackend({
    projectRoot: options.root,
    pathInfo: `/${parsed.name}.git/${parsed.endpoint}`,
    method: request.method,
    queryString: parsed.query,
    remoteUser: user,
    remoteAddr: request.ip,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 * 1024,
    raw: request.raw,
    res: reply.raw,
    onStderr: (text) => options.logger?.warn(`git http-backend ${parsed.name}: ${text.trim()}`),
  });
}

function baseURL(request: FastifyRequest, options: HostedGitRouteOptions): string {
  const configured = typeof options.publicURL === "function" ? options.publicURL() : options.publicURL;
  return (configured ?? `${request.protocol}://${request.host}`).replace(/\/+$/, "");
}

async function withLock(locks: Map<string, Promise<void>>, key: string, fn: () => Promise<void>): Promise<void> {
  const previous = locks.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(fn);
  locks.set(key, current);
  try {
    await current;
  } finally {
    if (locks.get(key) === current) locks.delete(key);
  }
}
