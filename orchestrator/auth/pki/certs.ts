// Certificates of the built-in cluster: a self-signed CA, serving certificates (SANs for the
// loopback names) and client certificates (CN → user, O → groups), through @peculiar/x509 on
// Node's WebCrypto. ECDSA P-256 throughout: small, fast, and what kubectl and Node accept.
import "reflect-metadata";
import { createPrivateKey, KeyObject, randomBytes, webcrypto, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its private key, both PEM. */
export interface CertPair {
  certPem: string;
  keyPem: string;
}

export interface Subject {
  commonName: string;
  organizations?: string[];
}

export interface IssueOptions {
  /** Milliseconds since the epoch; the certificate is valid from an hour before (clock skew). */
  now: number;
  validDays: number;
}

export interface ServingOptions extends IssueOptions {
  dnsNames: string[];
  ipAddresses: string[];
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
}

function keyToPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: "pkcs8", format: "pem" }).toString();
}

async function importSigningKey(keyPem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(keyPem).export({ type: "pkcs8", format: "der" });
  return webcrypto.subtle.importKey("pkcs8", der, ALGORITHM, false, ["sign"]);
}

/** RFC 4514 escaping: the library's JSON-name input mangles values with commas or quotes. */
function escapeDn(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, "\\ ");
}

function subjectName(subject: Subject): x509.Name {
  const parts = [`CN=${escapeDn(subject.commonName)}`, ...(subject.organizations ?? []).map((o) => `O=${escapeDn(o)}`)];
  return new x509.Name(parts.join(", "));
}

function serial(): string {
  // Positive, 16 random bytes: unique enough that reissued certificates never collide.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function validity(options: IssueOptions): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(options.now - 60 * 60 * 1000), notAfter: new Date(options.now + options.validDays * DAY_MS) };
}

export async function createCa(commonName: string, options: IssueOptions): Promise<CertPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subjectName({ commonName }),
    ...validity(options),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: keyToPem(keys.privateKey) };
}

interface LeafOptions extends IssueOptions {
  subject: Subject;
  extensions: x509.Extension[];
}

async function issueLeaf(ca: CertPair, options: LeafOptions): Promise<CertPair> {
  const keys = await generateKeys();
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subjectName(options.subject),
    issuer: caCert.subject,
    ...validity(options),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      ...options.extensions,
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: keyToPem(keys.privateKey) };
}

export async function issueServingCert(ca: CertPair, options: ServingOptions): Promise<CertPair> {
  const names = [...options.dnsNames.map((value) => ({ type: "dns" as const, value })), ...options.ipAddresses.map((value) => ({ type: "ip" as const, value }))];
  return issueLeaf(ca, {
    ...options,
    subject: { commonName: options.dnsNames[0] ?? options.ipAddresses[0] ?? "berth-apiserver" },
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]), new x509.SubjectAlternativeNameExtension(names)],
  });
}

export async function issueClientCert(ca: CertPair, subject: Subject, options: IssueOptions): Promise<CertPair> {
  return issueLeaf(ca, { ...options, subject, extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])] });
}

/** True when `certPem` was signed by `caPem`, is valid at `now` for `marginMs` more, and names every SAN. */
export function certStillGood(certPem: string, caPem: string, options: { now: number; marginMs: number; sans?: string[] }): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (Date.parse(cert.validTo) < options.now + options.marginMs || Date.parse(cert.validFrom) > options.now) return false;
    const san = cert.subjectAltName ?? "";
    return (options.sans ?? []).every((name) => san.includes(`:${name}`));
  } catch {
    return false;
  }
}
