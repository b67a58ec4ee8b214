import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { userFromCertificate } from "../../../orchestrator/auth/authn/x509.js";
import { createCa, issueClientCert, issueServingCert } from "../../../orchestrator/auth/pki/certs.js";
import { loadOrCreatePki, pkiDir } from "../../../orchestrator/auth/pki/files.js";

const NOW = Date.UTC(2030, 0, 1);
const ca = await createCa("test-ca", { now: NOW, validDays: 10 });

describe("client certificate → user", () => {
  it.each([
    { subject: { commonName: "berth-admin", organizations: ["system:masters"] }, want: { username: "berth-admin", groups: ["system:masters"] } },
    { subject: { commonName: "system:node:n1", organizations: ["system:nodes", "extra"] }, want: { username: "system:node:n1", groups: ["system:nodes", "extra"] } },
    { subject: { commonName: "jane, \"doe\"=+<x>" }, want: { username: "jane, \"doe\"=+<x>", groups: [] } },
  ])("$subject.commonName", async ({ subject, want }) => {
    const pair = await issueClientCert(ca, subject, { now: NOW, validDays: 1 });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(userFromCertificate(cert.raw)).toEqual(want);
  });
});

describe("serving certificate", () => {
  it("names the loopback SANs and is signed by the CA", async () => {
    const pair = await issueServingCert(ca, { now: NOW, validDays: 1, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });
});

describe("cluster PKI in the data dir", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("is made once, keys 0600, and reused on restart", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "berth-pki-"));
    dirs.push(dir);
    const first = await loadOrCreatePki(dir, { now: NOW });
    const second = await loadOrCreatePki(dir, { now: NOW + 1000 });
    expect(second).toEqual(first);
    for (const name of ["ca.key", "apiserver.key", "sa.key"]) expect((await stat(path.join(pkiDir(dir), name))).mode & 0o777).toBe(0o600);
  });

  it("reissues the serving certificate near expiry, keeping the CA", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "berth-pki-"));
    dirs.push(dir);
    const first = await loadOrCreatePki(dir, { now: NOW });
    const later = await loadOrCreatePki(dir, { now: NOW + 360 * 24 * 3600 * 1000 });
    expect(later.ca).toEqual(first.ca);
    expect(later.serviceAccountKeyPem).toBe(first.serviceAccountKeyPem);
    expect(later.serving.certPem).not.toBe(first.serving.certPem);
  });
});
