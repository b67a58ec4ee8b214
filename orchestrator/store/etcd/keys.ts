// Key and value conversion between the Store contract (strings, numbers) and etcd (bytes,
// decimal strings), with the store's key prefix applied on the way in and removed on the way out.
import type { KeyValue } from "../types.js";

/** The smallest key greater than every key starting with prefix (etcd's range_end for a prefix). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every key
}

export interface EtcdKeyValue {
  key: Buffer;
  value: Buffer;
  create_revision: string;
  mod_revision: string;
  version: string;
}

export class KeySpace {
  private readonly prefix: Buffer;

  constructor(prefix: string) {
    this.prefix = Buffer.from(prefix, "utf8");
  }

  encode(key: string): Buffer {
    return Buffer.concat([this.prefix, Buffer.from(key, "utf8")]);
  }

  decode(raw: Buffer): string {
    return raw.subarray(this.prefix.length).toString("utf8");
  }

  kv(raw: EtcdKeyValue): KeyValue {
    return {
      key: this.decode(raw.key),
      value: raw.value.toString("utf8"),
      createRevision: Number(raw.create_revision),
      modRevision: Number(raw.mod_revision),
      version: Number(raw.version),
    };
  }
}
