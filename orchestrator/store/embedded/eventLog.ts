// Every committed write's event, by revision, from `base` on. One write = one revision = one
// event, so the event for revision r sits at index r - base; watchers read it at their own pace.
import type { WatchEvent } from "../types.js";

export class EventLog {
  private events: WatchEvent[] = [];
  /** Dropped entries at the front of `events`, sliced off in bulk to keep trimming amortised O(1). */
  private offset = 0;
  private first: number;

  constructor(firstRevision: number) {
    this.first = firstRevision;
  }

  /** The oldest revision whose event is still held. */
  get base(): number {
    return this.first;
  }

  /** The revision the next appended event must carry. */
  get next(): number {
    return this.first + this.events.length - this.offset;
  }

  append(event: WatchEvent): void {
    this.events.push(event);
  }

  at(revision: number): WatchEvent | undefined {
    if (revision < this.first) return undefined;
    return this.events[this.offset + revision - this.first];
  }

  /** Drops events older than revision. */
  trimBefore(revision: number): void {
    const drop = Math.min(revision, this.next) - this.first;
    if (drop <= 0) return;
    this.offset += drop;
    this.first += drop;
    if (this.offset > 4096 && this.offset * 2 > this.events.length) {
      this.events = this.events.slice(this.offset);
      this.offset = 0;
    }
  }
}
