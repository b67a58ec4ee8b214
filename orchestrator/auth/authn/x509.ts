// Client certificates: the TLS layer has already verified the chain against the cluster CA
// (socket.authorized); the subject's CN is the user name and each O a group, as in Kubernetes.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { Authenticator, AuthnRequest, AuthnResult, UserInfo } from "../types.js";

/** CN → username, O → groups; undefined when the subject has no CN. */
export function userFromCertificate(der: Uint8Array): UserInfo | undefined {
  const cert = new x509.X509Certificate(der);
  const name = cert.subjectName;
  const username = name.getField("CN")[0];
  if (!username) return undefined;
  return { username, groups: name.getField("O") };
}

/**
 * The peer certificate cannot change on a connection (the server speaks TLS 1.3 only, which
 * has no renegotiation), so the result is kept per socket: parsing the certificate on every
 * request of a keep-alive connection cost more than the rest of the pipeline together.
 */
export function createX509Authenticator(): Authenticator {
  const bySocket = new WeakMap<object, AuthnResult>();
  return {
    authenticate(request: AuthnRequest): Promise<AuthnResult> {
      const socket = request.socket;
      if (!socket) return Promise.resolve({ kind: "no-opinion" });
      let result = bySocket.get(socket);
      if (!result) {
        result = fromSocket(request);
        bySocket.set(socket, result);
      }
      return Promise.resolve(result.kind === "authenticated" ? { kind: "authenticated", user: { ...result.user, groups: [...result.user.groups] } } : result);
    },
  };
}

function fromSocket(request: AuthnRequest): AuthnResult {
  const socket = request.socket;
  if (!socket) return { kind: "no-opinion" };
  const peer = socket.getPeerX509Certificate();
  if (!peer) return { kind: "no-opinion" };
  if (!socket.authorized) {
    const why = socket.authorizationError instanceof Error ? socket.authorizationError.message : String(socket.authorizationError);
    return { kind: "rejected", reason: `x509: certificate not trusted: ${why}` };
  }
  const user = userFromCertificate(peer.raw);
  return user ? { kind: "authenticated", user } : { kind: "rejected", reason: "x509: certificate has no common name" };
}
