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

export function createX509Authenticator(): Authenticator {
  return {
    authenticate(request: AuthnRequest): Promise<AuthnResult> {
      return Promise.resolve(fromSocket(request));
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
