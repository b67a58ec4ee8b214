import { createHmac } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { RepoChange } from "../../../controller/git/index.js";
import { registerWebhookRoutes, type WebhookRouteOptions } from "../../../controller/webhook/index.js";

const SECRETS = { github: "gh-secret", gitea: "gitea-secret", gitlab: "gl-token" };
const apps: FastifyInstance[] = [];

async function server(options: Partial<WebhookRouteOptions> = {}) {
  const changes: RepoChange[] = [];
  const app = Fastify();
  registerWebhookRoutes(app, { secrets: SECRETS, onChange: (c) => changes.push(c), ...options });
  await app.ready();
  apps.push(app);
  return { app, changes };
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const hmac = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");

const githubPush = JSON.stringify({
  ref: "refs/heads/main",
  after: "a".repeat(40),
  repository: {
    clone_url: "https://github.com/Acme/Shop.git",
    ssh_url: "git@github.com:Acme/Shop.git",
    html_url: "https://github.com/Acme/Shop",
  },
});

function post(app: FastifyInstance, headers: Record<string, string>, payload: string) {
  return app.inject({ method: "POST", url: "/api/webhook", headers: { "content-type": "application/json", ...headers }, payload });
}

describe("POST /api/webhook", () => {
  it("accepts a signed GitHub push and emits the repository under each URL spelling", async () => {
    const { app, changes } = await server();
    const res = await post(app, { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("gh-secret", githubPush)}` }, githubPush);
    expect(res.statusCode).toBe(200);
    expect(changes).toEqual([
      { repoURL: "https://github.com/Acme/Shop", ref: "main", via: "webhook" },
      { repoURL: "ssh://github.com/Acme/Shop", ref: "main", via: "webhook" },
    ]);
  });

  it("accepts GitHub's form encoding, verified over the raw form body", async () => {
    const { app, changes } = await server();
    const form = `payload=${encodeURIComponent(githubPush)}`;
    const res = await app.inject({
      method: "POST",
      url: "/api/webhook",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("gh-secret", form)}` },
      payload: form,
    });
    expect(res.statusCode).toBe(200);
    expect(changes.map((c) => c.ref)).toEqual(["main", "main"]);
  });

  it("accepts a signed Gitea push, tags included", async () => {
    const { app, changes } = await server();
    const body = JSON.stringify({
      ref: "refs/tags/v1.2.0",
      repository: { clone_url: "https://gitea.example.com/ops/app.git", html_url: "https://gitea.example.com/ops/app" },
    });
    const res = await post(app, { "x-gitea-event": "push", "x-github-event": "push", "x-gitea-signature": hmac("gitea-secret", body) }, body);
    expect(res.statusCode).toBe(200);
    expect(changes).toEqual([{ repoURL: "https://gitea.example.com/ops/app", ref: "v1.2.0", via: "webhook" }]);
  });

  it("accepts a GitLab push with the right token", async () => {
    const { app, changes } = await server();
    const body = JSON.stringify({
      object_kind: "push",
      ref: "refs/heads/release/2",
      project: { git_http_url: "https://GitLab.com/grp/sub/proj.git", git_ssh_url: "git@gitlab.com:grp/sub/proj.git", web_url: "https://gitlab.com/grp/sub/proj" },
    });
    const res = await post(app, { "x-gitlab-event": "Push Hook", "x-gitlab-token": "gl-token" }, body);
    expect(res.statusCode).toBe(200);
    expect(changes).toEqual([
      { repoURL: "https://gitlab.com/grp/sub/proj", ref: "release/2", via: "webhook" },
      { repoURL: "ssh://gitlab.com/grp/sub/proj", ref: "release/2", via: "webhook" },
    ]);
  });

  it.each([
    ["GitHub, wrong secret", { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("wrong", githubPush)}` }],
    ["GitHub, missing signature", { "x-github-event": "push" }],
    ["GitHub, old sha1 header only", { "x-github-event": "push", "x-hub-signature": "sha1=0000" }],
    ["GitHub, malformed signature", { "x-github-event": "push", "x-hub-signature-256": "sha256=zz" }],
    ["Gitea, wrong signature", { "x-gitea-event": "push", "x-gitea-signature": hmac("nope", githubPush) }],
    ["Gitea, missing signature", { "x-gitea-event": "push" }],
    ["GitLab, wrong token", { "x-gitlab-event": "Push Hook", "x-gitlab-token": "gl-tokem" }],
    ["GitLab, missing token", { "x-gitlab-event": "Push Hook" }],
  ])("refuses %s with 401 and triggers nothing", async (_name, headers) => {
    const { app, changes } = await server();
    const res = await post(app, headers, githubPush);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: expect.stringMatching(/signature|secret/) });
    expect(changes).toEqual([]);
  });

  it("refuses when no secret is configured for the provider (never accepts unsigned)", async () => {
    const { app, changes } = await server({ secrets: { gitlab: "x" } });
    const res = await post(app, { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("", githubPush)}` }, githubPush);
    expect(res.statusCode).toBe(401);
    expect(changes).toEqual([]);
  });

  it("acknowledges a ping and ignores other events, triggering nothing", async () => {
    const { app, changes } = await server();
    const ping = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, repository: { clone_url: "https://github.com/Acme/Shop.git" } });
    const pong = await post(app, { "x-github-event": "ping", "x-hub-signature-256": `sha256=${hmac("gh-secret", ping)}` }, ping);
    expect(pong.statusCode).toBe(200);
    const issue = JSON.stringify({ action: "opened", repository: { clone_url: "https://github.com/Acme/Shop.git" } });
    const ignored = await post(app, { "x-github-event": "issues", "x-hub-signature-256": `sha256=${hmac("gh-secret", issue)}` }, issue);
    expect(ignored.statusCode).toBe(202);
    expect(changes).toEqual([]);
  });

  it("rejects bodies over the limit, non-JSON bodies and unknown senders", async () => {
    const { app, changes } = await server({ bodyLimit: 1024 });
    const big = JSON.stringify({ ref: "refs/heads/main", pad: "x".repeat(4096) });
    const tooBig = await post(app, { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("gh-secret", big)}` }, big);
    expect(tooBig.statusCode).toBe(413);
    const notJson = await post(app, { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("gh-secret", "{nope")}` }, "{nope");
    expect(notJson.statusCode).toBe(400);
    expect((await post(app, {}, githubPush)).statusCode).toBe(400);
    expect(changes).toEqual([]);
  });

  it("looks secrets up per repository", async () => {
    const { app, changes } = await server({
      secrets: ({ provider, repoURLs }) => (provider === "github" && repoURLs.includes("https://github.com/Acme/Shop") ? "shop-secret" : undefined),
    });
    const good = await post(app, { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("shop-secret", githubPush)}` }, githubPush);
    expect(good.statusCode).toBe(200);
    const other = githubPush.replaceAll("Shop", "Other");
    const bad = await post(app, { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("shop-secret", other)}` }, other);
    expect(bad.statusCode).toBe(401);
    expect(changes).toHaveLength(2);
  });

  it("works over a real port with a real HTTP client", async () => {
    const { app, changes } = await server();
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const res = await fetch(`${address}/api/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac("gh-secret", githubPush)}` },
      body: githubPush,
    });
    expect(res.status).toBe(200);
    expect(changes).toHaveLength(2);
  });
});
