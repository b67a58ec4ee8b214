import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { request as httpRequest } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { createGitSource, normalizeRepoUrl, type GitSource, type RepoChange } from "../../../controller/git/index.js";
import { createHostedRepo, registerHostedGitRoutes, staticTokens } from "../../../controller/hosted/index.js";
import { makeTempDir, removeTempDirs, writeFiles } from "../../helpers/tmp.js";

const TOKEN = "s3cret-token-for-tests";
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await removeTempDirs();
});

/**
 * Runs git with no credential helpers or prompts; resolves with status and output instead of
 * throwing. Asynchronous on purpose: the server answering it lives in this same process.
 */
function gitRun(cwd: string, args: string[]): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["-c", "user.name=Pusher", "-c", "user.email=pusher@example.com", ...args],
      { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: cwd, GIT_TERMINAL_PROMPT: "0", LANG: "C", GIT_CONFIG_NOSYSTEM: "1" } },
      (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === "number" ? err.code : 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

async function gitOk(cwd: string, args: string[]): Promise<string> {
  const res = await gitRun(cwd, args);
  if (res.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${res.out}`);
  return res.out.trim();
}

async function hostedServer(options: { anonymousRead?: boolean } = {}) {
  const root = await makeTempDir("berth-hosted-");
  const seed = await writeFiles(await makeTempDir("berth-seed-"), { "chart/Chart.yaml": "name: demo\n", "chart/values.yaml": "replicas: 1\n" });
  const repo = await createHostedRepo(root, "demo", { defaultBranch: "main", seedDir: seed });
  const pushes: RepoChange[] = [];
  const app: FastifyInstance = Fastify();
  const encodings: string[] = [];
  app.addHook("onRequest", async (request) => {
    const encoding = request.headers["content-encoding"];
    if (typeof encoding === "string") encodings.push(encoding);
  });
  let base = "";
  registerHostedGitRoutes(app, {
    root,
    tokens: staticTokens({ [TOKEN]: "alice" }),
    onPush: (c) => pushes.push(c),
    anonymousRead: options.anonymousRead,
    publicURL: () => base,
  });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
  closers.push(() => app.close());
  const port = new URL(base).port;
  const work = await makeTempDir("berth-clones-");
  return {
    root,
    repo,
    base,
    port,
    pushes,
    encodings,
    work,
    url: (token?: string) => (token === undefined ? `${base}/git/demo.git` : `http://user:${token}@127.0.0.1:${port}/git/demo.git`),
  };
}

describe("hosted repositories over smart HTTP", () => {
  it("clones with the token and pushes a change that is reported with its branch", async () => {
    const h = await hostedServer();
    const clone = path.join(h.work, "c1");
    await gitOk(h.work, ["clone", "--quiet", h.url(TOKEN), clone]);
    expect(await readFile(path.join(clone, "chart/values.yaml"), "utf8")).toBe("replicas: 1\n");
    expect(await gitOk(clone, ["rev-parse", "HEAD"])).toBe(h.repo.head);

    await writeFile(path.join(clone, "chart/values.yaml"), "replicas: 3\n");
    await gitOk(clone, ["commit", "--quiet", "-am", "scale"]);
    await gitOk(clone, ["push", "--quiet", "origin", "main", "main:feature/x"]);
    const head = await gitOk(clone, ["rev-parse", "HEAD"]);
    expect(await gitOk(h.repo.dir, ["rev-parse", "main"])).toBe(head);
    const repoURL = normalizeRepoUrl(`${h.base}/git/demo.git`);
    expect(h.pushes).toEqual([
      { repoURL, ref: "feature/x", via: "hosted-push" },
      { repoURL, ref: "main", via: "hosted-push" },
    ]);
  });

  it("refuses pushes without a token or with a wrong one (git exits non-zero, nothing reported)", async () => {
    const h = await hostedServer({ anonymousRead: true });
    const clone = path.join(h.work, "anon");
    await gitOk(h.work, ["clone", "--quiet", h.url(), clone]);
    await writeFile(path.join(clone, "x.txt"), "x\n");
    await gitOk(clone, ["add", "x.txt"]);
    await gitOk(clone, ["commit", "--quiet", "-m", "x"]);

    const anonymous = await gitRun(clone, ["push", h.url(), "main"]);
    expect(anonymous.status).not.toBe(0);
    const wrong = await gitRun(clone, ["push", h.url("not-the-token"), "main"]);
    expect(wrong.status).not.toBe(0);
    expect(wrong.out).not.toContain(TOKEN);
    expect(await gitOk(h.repo.dir, ["rev-parse", "main"])).toBe(h.repo.head);
    expect(h.pushes).toEqual([]);
  });

  it("refuses reads without a token unless anonymous read is on, with a Basic challenge", async () => {
    const h = await hostedServer();
    const res = await gitRun(h.work, ["clone", "--quiet", h.url(), path.join(h.work, "nope")]);
    expect(res.status).not.toBe(0);
    const info = await fetch(`${h.base}/git/demo.git/info/refs?service=git-upload-pack`);
    expect(info.status).toBe(401);
    expect(info.headers.get("www-authenticate")).toBe('Basic realm="berth"');
  });

  it("streams a large push (chunked, no Content-Length) and a fetch with many haves", async () => {
    const h = await hostedServer();
    const pusher = path.join(h.work, "big");
    const fetcher = path.join(h.work, "fetcher");
    await gitOk(h.work, ["clone", "--quiet", h.url(TOKEN), pusher]);
    await gitOk(h.work, ["clone", "--quiet", h.url(TOKEN), fetcher]);
    await writeFile(path.join(pusher, "blob.bin"), randomBytes(3 * 1024 * 1024));
    await gitOk(pusher, ["add", "blob.bin"]);
    await gitOk(pusher, ["commit", "--quiet", "-m", "big"]);
    await gitOk(pusher, ["push", "--quiet", "origin", "main"]);
    expect(await gitOk(h.repo.dir, ["rev-parse", "main"])).toBe(await gitOk(pusher, ["rev-parse", "HEAD"]));

    // Local commits the server does not know make the fetch negotiate over several rounds.
    for (let i = 0; i < 40; i++) {
      await writeFile(path.join(fetcher, `f${i}.txt`), `${i}\n`);
      await gitOk(fetcher, ["add", "-A"]);
      await gitOk(fetcher, ["commit", "--quiet", "-m", `local ${i}`]);
    }
    await gitOk(fetcher, ["fetch", "--quiet", "origin"]);
    expect((await gitOk(fetcher, ["cat-file", "-s", "origin/main:blob.bin"]))).toBe(String(3 * 1024 * 1024));
  });

  it("accepts a gzip'd upload-pack request body, as git sends large negotiations", async () => {
    // Whether git compresses depends on how its negotiation goes, so send the request ourselves.
    const h = await hostedServer();
    const want = h.repo.head;
    const body = gzipSync(Buffer.from(`0032want ${want}\n00000009done\n`));
    const res = await fetch(`${h.base}/git/demo.git/git-upload-pack`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}`,
        "content-type": "application/x-git-upload-pack-request",
        "content-encoding": "gzip",
      },
      body,
    });
    expect(res.status).toBe(200);
    const reply = Buffer.from(await res.arrayBuffer());
    expect(reply.subarray(0, 8).toString()).toBe("0008NAK\n");
    expect(reply.includes(Buffer.from("PACK"))).toBe(true);
    expect(h.encodings).toContain("gzip");
  });

  it("refuses path traversal and odd names, in URLs and on creation", async () => {
    const h = await hostedServer({ anonymousRead: true });
    for (const raw of [
      "/git/..%2F..%2Fetc/info/refs?service=git-upload-pack",
      "/git/../demo.git/info/refs?service=git-upload-pack",
      "/git/.demo/info/refs?service=git-upload-pack",
      "/git/demo.git/../../x/info/refs?service=git-upload-pack",
      "/git/demo.git/objects/info/packs",
      "/git/demo.git/info/refs",
    ]) {
      const status = await rawGet(h.port, raw);
      expect([400, 403, 404], raw).toContain(status);
    }
    expect(await rawGet(h.port, "/git/missing.git/info/refs?service=git-upload-pack")).toBe(404);
    for (const bad of ["../evil", "a/b", "Upper", ".hidden", "x..y", "-flag", "x.git", ""]) {
      await expect(createHostedRepo(h.root, bad), bad).rejects.toThrow(/invalid repository name/);
    }
    await expect(createHostedRepo(h.root, "demo")).rejects.toThrow(/already exists/);
  });
});

describe("GitSource against a hosted repository", () => {
  it("resolves with credentials and reverts a commit by pushing over HTTP with the token", async () => {
    const h = await hostedServer();
    const clone = path.join(h.work, "dev");
    await gitOk(h.work, ["clone", "--quiet", h.url(TOKEN), clone]);
    await writeFile(path.join(clone, "chart/values.yaml"), "replicas: 9\n");
    await gitOk(clone, ["commit", "--quiet", "-am", "too many"]);
    await gitOk(clone, ["push", "--quiet", "origin", "main"]);
    const bad = await gitOk(clone, ["rev-parse", "HEAD"]);

    const source: GitSource = createGitSource({
      cacheDir: await makeTempDir("berth-git-cache-"),
      clock: new FakeClock(0),
      credentials: (url) => (url.startsWith(h.base) ? { username: "berth", password: TOKEN } : undefined),
    });
    closers.push(() => source.close());
    expect((await source.resolve(h.url(), "main")).sha).toBe(bad);
    h.pushes.length = 0;
    const reverted = await source.revert(h.url(), { commit: bad, branch: "main", author: "berth <berth@localhost>" });
    expect(await gitOk(h.repo.dir, ["rev-parse", "main"])).toBe(reverted.sha);
    expect(await gitOk(h.repo.dir, ["show", "main:chart/values.yaml"])).toBe("replicas: 1");
    expect(h.pushes).toEqual([{ repoURL: normalizeRepoUrl(h.url()), ref: "main", via: "hosted-push" }]);

    const anonymous = createGitSource({ cacheDir: await makeTempDir("berth-git-cache-"), clock: new FakeClock(0) });
    closers.push(() => anonymous.close());
    await expect(anonymous.resolve(h.url(), "main")).rejects.toMatchObject({ reason: "auth" });
  });
});

function rawGet(port: string, rawPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: Number(port), path: rawPath, method: "GET" }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}
