import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildRepoServer, serveRepo } from "../../repo/server.js";
import { writeIndexDirectory } from "../../repo/indexDirectory.js";
import { makeTempDir } from "../helpers/tmp.js";
import { packageSpec } from "./fixtures.js";

let dir: string;
let outside: string;
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

beforeAll(async () => {
  dir = await makeTempDir("berth-serve-");
  outside = await makeTempDir("berth-outside-");
  await packageSpec({ name: "web", version: "1.0.0" }, dir);
  await writeIndexDirectory(dir);
  await writeFile(path.join(outside, "secret.tgz"), "secret");
  await writeFile(path.join(dir, "notes.txt"), "not a chart file");
  await mkdir(path.join(dir, "sub"));
  await symlink(path.join(outside, "secret.tgz"), path.join(dir, "sub", "linked.tgz"));
});

async function app(options: Parameters<typeof buildRepoServer>[1] = {}): Promise<FastifyInstance> {
  const a = await buildRepoServer(dir, options);
  apps.push(a);
  return a;
}

describe("repo server", () => {
  it("serves index.yaml and archives with content types and a strong ETag", async () => {
    const a = await app();
    const index = await a.inject({ url: "/index.yaml" });
    expect(index.statusCode).toBe(200);
    expect(index.headers["content-type"]).toBe("application/yaml; charset=utf-8");
    expect(index.body).toContain("web-1.0.0.tgz");
    expect(index.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const archive = await a.inject({ url: "/web-1.0.0.tgz" });
    expect(archive.statusCode).toBe(200);
    expect(archive.headers["content-type"]).toBe("application/gzip");
    expect(archive.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it("answers If-None-Match with 304 and no body", async () => {
    const a = await app();
    const { headers } = await a.inject({ url: "/index.yaml" });
    const etag = String(headers.etag);
    const again = await a.inject({ url: "/index.yaml", headers: { "if-none-match": etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect((await a.inject({ url: "/index.yaml", headers: { "if-none-match": '"other"' } })).statusCode).toBe(200);
  });

  const refused = [
    "/../../tmp/secret.tgz",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/sub/linked.tgz",
    "/notes.txt",
    "/missing-1.0.0.tgz",
    "/.hidden.tgz",
  ];
  it.each(refused)("404 for %s", async (url) => {
    const a = await app();
    expect((await a.inject({ url })).statusCode).toBe(404);
  });

  it("answers a badly encoded path with 400", async () => {
    const a = await app();
    expect((await a.inject({ url: "/%E0%A4%A.tgz" })).statusCode).toBe(400);
  });

  it("requires basic auth when configured: 401 with WWW-Authenticate, then 200", async () => {
    const a = await app({ auth: { username: "ci", password: "s3cret" } });
    const none = await a.inject({ url: "/index.yaml" });
    expect(none.statusCode).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Basic realm=/);
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` });
    expect((await a.inject({ url: "/index.yaml", headers: basic("ci", "wrong") })).statusCode).toBe(401);
    expect((await a.inject({ url: "/index.yaml", headers: basic("ci", "s3cret") })).statusCode).toBe(200);
  });

  it("listens on a real port and refuses a folder that does not exist", async () => {
    const running = await serveRepo(dir, { port: 0 });
    try {
      const response = await fetch(new URL("index.yaml", running.url));
      expect(response.status).toBe(200);
    } finally {
      await running.close();
    }
    await expect(serveRepo(path.join(dir, "nope"), { port: 0 })).rejects.toThrow(/is not a folder/);
  });
});
