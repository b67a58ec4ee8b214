// Writes a .tgz whose bytes depend only on the files given: entries sorted, folders
// implied by the files written as entries, mtime 0, owner 0:0 with no names, modes 0644 /
// 0755, and a gzip header with no timestamp and a fixed OS byte. Same files, same bytes.
import { gzipSync } from "node:zlib";
import { Header, Pax } from "tar";

export interface TarFile {
  /** Path inside the archive, "/"-separated, no leading "/". */
  path: string;
  data: Buffer;
}

const BLOCK = 512;
const EPOCH = new Date(0);
const GZIP_MTIME_OFFSET = 4;
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNIX = 3;

export function deterministicTgz(files: readonly TarFile[]): Buffer {
  return fixGzipHeader(gzipSync(deterministicTar(files), { level: 9 }));
}

export function deterministicTar(files: readonly TarFile[]): Buffer {
  const entries = new Map<string, Buffer | undefined>();
  for (const file of files) {
    const parts = file.path.split("/");
    for (let i = 1; i < parts.length; i++) entries.set(`${parts.slice(0, i).join("/")}/`, undefined);
    entries.set(file.path, file.data);
  }
  const blocks: Buffer[] = [];
  for (const entryPath of [...entries.keys()].sort(compareBytes)) {
    blocks.push(...encodeEntry(entryPath, entries.get(entryPath)));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

function encodeEntry(entryPath: string, data: Buffer | undefined): Buffer[] {
  const isDir = data === undefined;
  const fields = {
    path: entryPath,
    type: isDir ? ("Directory" as const) : ("File" as const),
    mode: isDir ? 0o755 : 0o644,
    size: data?.length ?? 0,
    uid: 0,
    gid: 0,
    uname: "",
    gname: "",
    mtime: EPOCH,
  };
  const header = new Header(fields);
  const block = Buffer.alloc(BLOCK);
  header.encode(block, 0);
  // Paths too long for ustar's name + prefix fields go in a PAX record before the entry.
  const out: Buffer[] = header.needPax ? [new Pax({ path: entryPath, mtime: EPOCH, uid: 0, gid: 0 }).encode(), block] : [block];
  if (data && data.length > 0) out.push(data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  return out;
}

/** Code-unit order, independent of locale. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** zlib stamps the OS it was built for; pin it (and mtime, already 0) so hosts agree. */
function fixGzipHeader(gz: Buffer): Buffer {
  gz.writeUInt32LE(0, GZIP_MTIME_OFFSET);
  gz[GZIP_OS_OFFSET] = GZIP_OS_UNIX;
  return gz;
}
