// POST /api/webhook: push events from GitHub, Gitea and GitLab become RepoChange hints. The
// signature is checked over the raw body before anything else is believed; an unsigned, badly
// signed or unconfigured request gets 401 and triggers nothing. Ping and other events are
// acknowledged and ignored.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RepoChange } from "../git/types.js";
import { decodeBody, parsePush, type PushInfo, type WebhookProvider } from "./payload.js";
import { tokensEqual, verifyGitHubSignature, verifyHmacSha256 } from "./signature.js";

export interface WebhookSecrets {
  github?: string;
  gitlab?: string;
  gitea?: string;
}

/** A per-repository secret: called with the provider and the payload's normalised repository URLs. */
export type WebhookSecretLookup = (context: { provider: WebhookProvider; repoURLs: string[] }) => string | undefined;

export interface WebhookRouteOptions {
  secrets: WebhookSecrets | WebhookSecretLookup;
  onChange: (change: RepoChange) => void;
  /** Largest accepted body in bytes (default 2 MiB; larger gets 413). */
  bodyLimit?: number;
  /** Route path (default /api/webhook). */
  path?: string;
}

interface Delivery {
  provider: WebhookProvider;
  event: string;
  isPush: boolean;
  isPing: boolean;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function identify(request: FastifyRequest): Delivery | undefined {
  // Gitea also sends X-GitHub-Event for compatibility, so it is checked first.
  const gitea = header(request, "x-gitea-event");
  if (gitea !== undefined) return { provider: "gitea", event: gitea, isPush: gitea === "push", isPing: false };
  const gitlab = header(request, "x-gitlab-event");
  if (gitlab !== undefined) {
    return { provider: "gitlab", event: gitlab, isPush: gitlab === "Push Hook" || gitlab === "Tag Push Hook", isPing: false };
  }
  const github = header(request, "x-github-event");
  if (github !== undefined) return { provider: "github", event: github, isPush: github === "push", isPing: github === "ping" };
  return undefined;
}

function authentic(request: FastifyRequest, provider: WebhookProvider, body: Buffer, secret: string): boolean {
  switch (provider) {
    case "github":
      return verifyGitHubSignature(body, secret, header(request, "x-hub-signature-256"));
    case "gitea":
      return verifyHmacSha256(body, secret, header(request, "x-gitea-signature"));
    case "gitlab":
      return tokensEqual(header(request, "x-gitlab-token"), secret);
  }
}

function refuse(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ error });
}

export function registerWebhookRoutes(app: FastifyInstance, options: WebhookRouteOptions): void {
  const bodyLimit = options.bodyLimit ?? 2 * 1024 * 1024;
  // An encapsulated scope so the raw-body parser applies to this route only.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));
    scope.post(options.path ?? "/api/webhook", { bodyLimit }, async (request, reply) => {
      const delivery = identify(request);
      if (!delivery) return refuse(reply, 400, "not a GitHub, GitLab or Gitea webhook (no event header)");
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let payload: unknown;
      try {
        payload = decodeBody(body, header(request, "content-type"));
      } catch {
        return refuse(reply, 400, "webhook body is not valid JSON");
      }
      const push = parsePush(delivery.provider, payload);
      const secret = lookupSecret(options.secrets, delivery.provider, push);
      if (secret === undefined || secret === "") {
        return refuse(reply, 401, `no ${delivery.provider} webhook secret is configured for this repository`);
      }
      if (!authentic(request, delivery.provider, body, secret)) {
        return refuse(reply, 401, `invalid or missing ${delivery.provider} webhook signature`);
      }
      if (delivery.isPing) return reply.code(200).send({ ok: true, ignored: "ping" });
      if (!delivery.isPush) return reply.code(202).send({ ok: true, ignored: delivery.event });
      if (!push) return refuse(reply, 400, "push payload names no repository URL");
      for (const repoURL of push.repoURLs) options.onChange({ repoURL, ref: push.ref, via: "webhook" });
      return reply.code(200).send({ ok: true, repositories: push.repoURLs, ref: push.ref ?? null });
    });
  });
}

function lookupSecret(secrets: WebhookSecrets | WebhookSecretLookup, provider: WebhookProvider, push: PushInfo | undefined): string | undefined {
  if (typeof secrets === "function") return secrets({ provider, repoURLs: push?.repoURLs ?? [] });
  return secrets[provider];
}
