// The base work queue (model: client-go util/workqueue/queue.go). Three sets keep its promise:
// `dirty` holds keys waiting to run, `processing` keys a worker holds now, `order` the FIFO of
// dirty keys not being processed. A key added while a worker holds it stays only in `dirty`, and
// done() moves it back to `order`: so a key is never run by two workers at once, yet an event
// that arrived during processing is never lost.

export interface Queue {
  /** Marks key as needing work; a key already waiting is not queued twice. */
  add(key: string): void;
  /** Resolves with the next key (now held by the caller until done()), or undefined once shut down. */
  get(): Promise<string | undefined>;
  /** Releases key after processing; requeues it if it was added meanwhile. */
  done(key: string): void;
  /** Keys waiting to be processed (not counting held or delayed ones). */
  len(): number;
  /** Stops handing out keys: pending get() calls resolve with undefined; add() is ignored. */
  shutDown(): void;
  isShuttingDown(): boolean;
  /** Resolves once no key is waiting or held (delayed keys do not count). */
  idle(): Promise<void>;
}

/** A FIFO with O(1) push and shift, compacted lazily. */
class Fifo {
  private items: string[] = [];
  private head = 0;

  push(key: string): void {
    this.items.push(key);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const key = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return key;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

export class WorkQueue implements Queue {
  private readonly order = new Fifo();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private shuttingDown = false;

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.order.push(key);
    this.handOut();
  }

  get(): Promise<string | undefined> {
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) {
      this.order.push(key);
      this.handOut();
    }
    this.checkIdle();
  }

  len(): number {
    return this.order.length;
  }

  shutDown(): void {
    this.shuttingDown = true;
    this.order.clear();
    this.dirty.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(undefined);
    this.checkIdle();
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.order.length === 0 && this.processing.size === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private take(): string | undefined {
    const key = this.order.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private handOut(): void {
    while (this.waiters.length > 0 && this.order.length > 0) {
      const waiter = this.waiters.shift();
      const key = this.take();
      if (waiter && key !== undefined) waiter(key);
    }
  }
}
