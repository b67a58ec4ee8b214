// Static bearer tokens from a CSV file in Kubernetes' format: token,user,uid[,"group1,group2"].
// Tokens are kept only as SHA-256 digests and compared in constant time; none is ever printed.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { UsageError } from "../../../core/errors.js";
import type { Authenticator, AuthnRequest, AuthnResult, UserInfo } from "../types.js";
import { bearerToken } from "./bearer.js";

export interface TokenEntry {
  /** SHA-256 of the token. */
  digest: Buffer;
  user: UserInfo;
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Splits one CSV record (RFC 4180 quoting, as Go's encoding/csv reads it). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('extraneous or missing " in quoted-field');
  fields.push(field);
  return fields.map((f, i) => (i === 0 ? f : f.replace(/^\s+/, "")));
}

/** Parses the file's text; `source` names it in errors ("tokens.csv:3: …"). Empty tokens are skipped, a later duplicate wins. */
export function parseTokenFile(text: string, source: string): TokenEntry[] {
  const byDigest = new Map<string, TokenEntry>();
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let record: string[];
    try {
      record = splitCsvLine(line);
    } catch (err) {
      throw new UsageError(`${source}:${index + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const [token = "", username = "", uid = "", groups] = record;
    if (record.length < 3) throw new UsageError(`${source}:${index + 1}: must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    if (token === "") continue;
    const user: UserInfo = { username, uid, groups: groups === undefined || groups === "" ? [] : groups.split(",") };
    const d = digest(token);
    byDigest.set(d.toString("hex"), { digest: d, user });
  }
  return [...byDigest.values()];
}

export async function loadTokenFile(file: string): Promise<TokenEntry[]> {
  return parseTokenFile(await readFile(file, "utf8"), file);
}

export function createTokenFileAuthenticator(entries: TokenEntry[]): Authenticator {
  const byDigest = new Map(entries.map((e) => [e.digest.toString("hex"), e]));
  return {
    authenticate(request: AuthnRequest): Promise<AuthnResult> {
      const token = bearerToken(request);
      if (token === undefined) return Promise.resolve({ kind: "no-opinion" });
      const presented = digest(token);
      const entry = byDigest.get(presented.toString("hex"));
      // The map lookup is keyed by a digest, so its timing says nothing about the token; the
      // constant-time compare guards against a lookup that ever matched loosely.
      if (!entry || !timingSafeEqual(entry.digest, presented)) return Promise.resolve({ kind: "no-opinion" });
      return Promise.resolve({ kind: "authenticated", user: { ...entry.user, groups: [...entry.user.groups] } });
    },
  };
}
