// The cluster's key material in DATA_DIR/pki: made at first start, reused on restart. The CA
// and the ServiceAccount signing key live as long as the data dir (so issued client
// certificates and tokens stay valid); the serving certificate is reissued when it nears
// expiry, names other hosts, or was signed by another CA. Keys are written 0600.
import { generateKeyPairSync } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { certStillGood, createCa, issueServingCert, type CertPair } from "./certs.js";

export interface ClusterPki {
  ca: CertPair;
  serving: CertPair;
  /** PEM private key (ES256) that signs ServiceAccount tokens. */
  serviceAccountKeyPem: string;
}

export interface PkiOptions {
  now: number;
  dnsNames?: string[];
  ipAddresses?: string[];
}

export const PKI_FILES = {
  caCert: "ca.crt",
  caKey: "ca.key",
  servingCert: "apiserver.crt",
  servingKey: "apiserver.key",
  serviceAccountKey: "sa.key",
} as const;

const RENEW_MARGIN_MS = 30 * 24 * 60 * 60 * 1000;

export function pkiDir(dataDir: string): string {
  return path.join(dataDir, "pki");
}

/** Writes atomically; `secret` files get mode 0600, certificates 0644. */
export async function writeFileAtomic(file: string, content: string, options: { secret: boolean }): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: options.secret ? 0o600 : 0o644 });
  await rename(tmp, file);
}

async function readOptional(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch((err: unknown) => {
    if (typeof err === "object" && err !== null && "code" in err && err.code === "ENOENT") return undefined;
    throw err;
  });
}

async function loadPair(dir: string, certName: string, keyName: string): Promise<CertPair | undefined> {
  const [certPem, keyPem] = await Promise.all([readOptional(path.join(dir, certName)), readOptional(path.join(dir, keyName))]);
  return certPem && keyPem ? { certPem, keyPem } : undefined;
}

async function savePair(dir: string, pair: CertPair, names: { cert: string; key: string }): Promise<void> {
  await writeFileAtomic(path.join(dir, names.key), pair.keyPem, { secret: true });
  await writeFileAtomic(path.join(dir, names.cert), pair.certPem, { secret: false });
}

async function loadOrCreateCa(dir: string, now: number): Promise<CertPair> {
  const existing = await loadPair(dir, PKI_FILES.caCert, PKI_FILES.caKey);
  if (existing && certStillGood(existing.certPem, existing.certPem, { now, marginMs: 0 })) return existing;
  const ca = await createCa("berth-ca", { now, validDays: 3650 });
  await savePair(dir, ca, { cert: PKI_FILES.caCert, key: PKI_FILES.caKey });
  return ca;
}

async function loadOrCreateServing(dir: string, ca: CertPair, options: PkiOptions): Promise<CertPair> {
  const dnsNames = options.dnsNames ?? ["localhost"];
  const ipAddresses = options.ipAddresses ?? ["127.0.0.1"];
  const existing = await loadPair(dir, PKI_FILES.servingCert, PKI_FILES.servingKey);
  if (existing && certStillGood(existing.certPem, ca.certPem, { now: options.now, marginMs: RENEW_MARGIN_MS, sans: [...dnsNames, ...ipAddresses] })) return existing;
  const serving = await issueServingCert(ca, { now: options.now, validDays: 365, dnsNames, ipAddresses });
  await savePair(dir, serving, { cert: PKI_FILES.servingCert, key: PKI_FILES.servingKey });
  return serving;
}

async function loadOrCreateServiceAccountKey(dir: string): Promise<string> {
  const file = path.join(dir, PKI_FILES.serviceAccountKey);
  const existing = await readOptional(file);
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  await writeFileAtomic(file, pem, { secret: true });
  return pem;
}

export async function loadOrCreatePki(dataDir: string, options: PkiOptions): Promise<ClusterPki> {
  const dir = pkiDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCa(dir, options.now);
  const serving = await loadOrCreateServing(dir, ca, options);
  const serviceAccountKeyPem = await loadOrCreateServiceAccountKey(dir);
  return { ca, serving, serviceAccountKeyPem };
}
