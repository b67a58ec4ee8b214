// fetch() for the built-in cluster over HTTPS: trusts the cluster CA and presents the
// kubeconfig's client certificate (unless anonymous), answering a standard Response.
import { readFile } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { parse } from "yaml";

export interface TlsCredentials {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface TlsFetchInit {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  tls?: TlsCredentials;
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return Object.entries(value).find(([k]) => k === key)?.[1];
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}

function decoded(value: unknown): string | undefined {
  return typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : undefined;
}

/** The CA and client certificate of the kubeconfig's first cluster and user. */
export async function credentialsFromKubeconfig(file: string): Promise<TlsCredentials> {
  const config: unknown = parse(await readFile(file, "utf8"));
  const cluster = field(first(field(config, "clusters")), "cluster");
  const user = field(first(field(config, "users")), "user");
  return { ca: decoded(field(cluster, "certificate-authority-data")), cert: decoded(field(user, "client-certificate-data")), key: decoded(field(user, "client-key-data")) };
}

export function tlsFetch(url: string, init: TlsFetchInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers.set(k, v);
        resolve(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
      });
      res.on("error", reject);
    };
    const options = { method: init.method ?? "GET", headers: init.headers ?? {} };
    const req = target.protocol === "https:" ? httpsRequest(target, { ...options, ...init.tls }, onResponse) : httpRequest(target, options, onResponse);
    req.on("error", reject);
    req.end(init.body);
  });
}
