// Webhook authenticity checks. Every comparison is constant time over fixed-length digests, so
// neither the content nor the length of a guess leaks through timing.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** True when `signatureHex` is the HMAC-SHA256 of the raw body under `secret`. */
export function verifyHmacSha256(body: Buffer, secret: string, signatureHex: string | undefined): boolean {
  if (signatureHex === undefined || !HEX_SHA256.test(signatureHex)) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signatureHex, "hex"));
}

/** GitHub's `X-Hub-Signature-256: sha256=<hex>`. */
export function verifyGitHubSignature(body: Buffer, secret: string, header: string | undefined): boolean {
  if (header === undefined || !header.startsWith("sha256=")) return false;
  return verifyHmacSha256(body, secret, header.slice("sha256=".length));
}

/** Shared-secret tokens (GitLab): compared as SHA-256 digests, equal length whatever the input. */
export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
