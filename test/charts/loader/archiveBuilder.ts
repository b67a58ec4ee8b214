// Builds tar / .tgz archives byte by byte from entry descriptions, including entries no
// well-behaved tool would write (traversal, links, devices, lying sizes), so hostile-archive
// tests exercise real archives.
import { gzipSync } from "node:zlib";
import { Header, type HeaderData } from "tar";

export interface TestEntry {
  path: string;
  type?: HeaderData["type"];
  body?: Buffer | string;
  /** Declared size when it should differ from the body (a lying header). */
  size?: number;
  linkpath?: string;
}

const BLOCK = 512;

export function rawTar(entries: readonly TestEntry[], options: { trailingZeros?: number } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = typeof entry.body === "string" ? Buffer.from(entry.body) : (entry.body ?? Buffer.alloc(0));
    const header = Buffer.alloc(BLOCK);
    new Header({
      path: entry.path,
      type: entry.type ?? "File",
      size: entry.size ?? body.length,
      mode: entry.type === "Directory" ? 0o755 : 0o644,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      linkpath: entry.linkpath ?? "",
    }).encode(header, 0);
    blocks.push(header, body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(BLOCK * 2 + (options.trailingZeros ?? 0)));
  return Buffer.concat(blocks);
}

export function tgz(entries: readonly TestEntry[], options: { trailingZeros?: number } = {}): Buffer {
  return gzipSync(rawTar(entries, options));
}

/** A minimal valid chart's entries under `root/`. */
export function chartEntries(root: string, extra: readonly TestEntry[] = []): TestEntry[] {
  return [
    { path: `${root}/Chart.yaml`, body: `apiVersion: v2\nname: ${root}\nversion: 0.1.0\n` },
    { path: `${root}/values.yaml`, body: "replicaCount: 1\n" },
    ...extra,
  ];
}
