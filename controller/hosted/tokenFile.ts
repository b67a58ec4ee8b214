// The hosted repositories' push token: generated at the controller's first start and kept in
// its data dir (mode 0600), or given by flag / environment. Next to it, the same token in git's
// credential-store format, so users push through `credential.helper 'store --file=…'` and the
// token never appears in a command line, a remote URL or a clone's config.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** The user name pushes authenticate as (git sends it; only the token is checked). */
export const HOSTED_USER = "berth";

export interface HostedTokenFiles {
  /** The token alone, one line. */
  tokenFile: string;
  /** git-credential-store format: `http://berth:TOKEN@HOST:PORT`. */
  credentialsFile: string;
}

export function hostedTokenFiles(dataDir: string): HostedTokenFiles {
  return { tokenFile: path.join(dataDir, "hosted-token"), credentialsFile: path.join(dataDir, "git-credentials") };
}

async function writeSecret(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}

/** The token in `file`, else a new random one written there (0600). */
export async function loadOrCreateToken(file: string): Promise<string> {
  const existing = await readFile(file, "utf8").then((t) => t.trim(), () => "");
  if (existing) return existing;
  const token = randomBytes(24).toString("base64url");
  await writeSecret(file, `${token}\n`);
  return token;
}

/** Writes the credential-store line for `origin` (e.g. http://127.0.0.1:8090), 0600. */
export async function writeGitCredentials(file: string, origin: string, token: string): Promise<void> {
  const url = new URL(origin);
  await writeSecret(file, `${url.protocol}//${HOSTED_USER}:${encodeURIComponent(token)}@${url.host}\n`);
}

/** The `git config` value that makes git read the credentials file (quoted for the shell git uses). */
export function credentialHelper(credentialsFile: string): string {
  return `store --file=${shellQuote(credentialsFile)}`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
