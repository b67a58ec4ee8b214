// Serves an API server's fastify app over HTTPS with the cluster's serving certificate.
// Client certificates are requested and verified against the cluster CA, but not required:
// a request without one may still bring a bearer token, and the auth pipeline decides.
// TLS 1.3 only: no renegotiation, so a connection's client certificate never changes.
import { get as httpGet, type IncomingMessage } from "node:http";
import { createServer, get as httpsGet, type Server } from "node:https";
import type { FastifyInstance } from "fastify";

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  caPem: string;
}

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls: TlsMaterial;
}

export interface Serving {
  port: number;
  close(): Promise<void>;
}

export async function serveHttps(app: FastifyInstance, options: ServeOptions): Promise<Serving> {
  const server: Server = createServer({ key: options.tls.keyPem, cert: options.tls.certPem, ca: options.tls.caPem, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.3" }, app.routing);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Watches hold connections open for minutes; end them so close() returns now.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET URL/readyz, trusting only the cluster CA over HTTPS; true on a 200. */
export function probeReady(url: string, caPem?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const target = new URL("/readyz", url);
    const onResponse = (res: IncomingMessage): void => {
      res.resume();
      resolve(res.statusCode === 200);
    };
    const req = target.protocol === "https:" ? httpsGet(target, { ca: caPem }, onResponse) : httpGet(target, onResponse);
    req.on("error", () => resolve(false));
    req.setTimeout(5_000, () => req.destroy());
  });
}
