// The audit log: one JSON line per request in DATA_DIR/audit.log — who, what, on which object
// or path, the response code, and the decision with its reason. Built only from the request's
// attributes, never from bodies, headers or query strings, so Secret data and tokens cannot
// reach it. Lines are batched per tick; at maxBytes the file rotates to audit.log.1.
import { appendFile, rename, stat } from "node:fs/promises";
import type { Clock } from "../../core/clock.js";

export interface AuditEvent {
  user: string;
  groups: string[];
  /** The user the request ran as, when it impersonated one. */
  impersonatedUser?: string;
  verb: string;
  /** Resource requests: group/version/resource/subresource/namespace/name. */
  objectRef?: { apiGroup: string; apiVersion: string; resource: string; subresource?: string; namespace?: string; name?: string };
  /** Non-resource requests: the path (no query string). */
  path?: string;
  code: number;
  decision: "allow" | "deny";
  reason: string;
}

export interface AuditSink {
  write(event: AuditEvent): void;
  /** Waits for buffered lines to reach the file. */
  flush(): Promise<void>;
}

export interface FileAuditLogOptions {
  file: string;
  clock: Clock;
  /** Rotate when the file would grow past this (default 10 MiB); one rotated file is kept. */
  maxBytes?: number;
}

export class FileAuditLog implements AuditSink {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private size: number | undefined;
  private readonly maxBytes: number;

  constructor(private readonly options: FileAuditLogOptions) {
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  }

  write(event: AuditEvent): void {
    this.pending.push(JSON.stringify({ timestamp: new Date(this.options.clock.now()).toISOString(), ...event }) + "\n");
    if (this.pending.length === 1) this.writing = this.writing.then(() => this.drain());
  }

  async flush(): Promise<void> {
    await this.writing;
  }

  private async drain(): Promise<void> {
    const text = this.pending.join("");
    this.pending = [];
    if (text === "") return;
    try {
      this.size ??= await stat(this.options.file).then((s) => s.size, () => 0);
      const bytes = Buffer.byteLength(text);
      if (this.size > 0 && this.size + bytes > this.maxBytes) {
        await rename(this.options.file, `${this.options.file}.1`);
        this.size = 0;
      }
      await appendFile(this.options.file, text, { mode: 0o600 });
      this.size += bytes;
    } catch (err) {
      // Auditing must not take the API server down; say so once per failed batch.
      process.stderr.write(`warning: audit log ${this.options.file}: ${err instanceof Error ? err.message : String(err)}\n`);
      this.size = undefined;
    }
  }
}

/** Keeps events in memory (tests, and a cluster started without a data dir). */
export class MemoryAuditLog implements AuditSink {
  readonly events: AuditEvent[] = [];
  write(event: AuditEvent): void {
    this.events.push(event);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
}
