// An in-process API server with the real auth plugin (token-file users) and RBAC wired as
// `berth cluster up` wires it, listening on a loopback port; requests carry a user's bearer
// token. (A real socket, not app.inject(): the pipeline reads Node's headersDistinct.)
import type { Clock } from "../../../../core/clock.js";
import { createApiServer } from "../../../../orchestrator/apiserver/server.js";
import { parseTokenFile } from "../../../../orchestrator/auth/authn/tokenFile.js";
import { createAuthPlugin } from "../../../../orchestrator/auth/plugin.js";
import { createRbacAuthorizer, registerAccessReviewRoutes, type RbacAuthorizer } from "../../../../orchestrator/auth/rbac/index.js";
import { openEmbeddedStore } from "../../../../orchestrator/store/embedded/index.js";

export interface ServerFixtureOptions {
  clock: Clock;
  keyPem: string;
  /** username → groups; each user's token is "token-USERNAME". */
  users: Record<string, string[]>;
}

export async function createServer(options: ServerFixtureOptions) {
  const store = await openEmbeddedStore({});
  const csv = Object.entries(options.users).map(([name, groups]) => `token-${name},${name},uid-${name},"${groups.join(",")}"`).join("\n");
  let rbac: RbacAuthorizer | undefined;
  const plugin = createAuthPlugin({
    clock: options.clock,
    serviceAccountKeyPem: options.keyPem,
    tokenFile: parseTokenFile(csv, "tokens.csv"),
    authorizer: (env) => (rbac = createRbacAuthorizer({ env, clock: options.clock })),
    routes: (app, { env, authorizer }) => registerAccessReviewRoutes(app, { env, authorizer }),
  });
  const server = await createApiServer({ store, clock: options.clock, security: plugin });
  await rbac?.ready;
  const base = await server.app.listen({ host: "127.0.0.1", port: 0 });
  return {
    base,
    server,
    async as(username: string, method: "GET" | "POST" | "PUT" | "DELETE", url: string, body?: unknown) {
      const headers: Record<string, string> = { authorization: `Bearer token-${username}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      const parsed: unknown = text ? JSON.parse(text) : {};
      const json: Record<string, unknown> = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {};
      return { status: res.status, json };
    },
    async close() {
      await server.close();
      await rbac?.close();
      await store.close();
    },
  };
}
