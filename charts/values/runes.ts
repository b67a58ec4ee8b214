// A cursor over the code points of a --set expression, as Go's bytes.Buffer reads runes in
// Helm's strvals. Working on code points keeps non-BMP characters (emoji) whole.

export class RuneScanner {
  private readonly runes: string[];
  private pos = 0;

  constructor(text: string) {
    this.runes = Array.from(text);
  }

  /** The next rune, or undefined at the end. */
  read(): string | undefined {
    if (this.pos >= this.runes.length) return undefined;
    return this.runes[this.pos++];
  }

  unread(): void {
    if (this.pos > 0) this.pos--;
  }

  /** What is left, without consuming it. */
  rest(): string {
    return this.runes.slice(this.pos).join("");
  }

  /** Consume what `rest()` returned the first `length` UTF-16 units of. */
  skipText(length: number): void {
    let consumed = 0;
    while (consumed < length && this.pos < this.runes.length) {
      consumed += (this.runes[this.pos++] ?? "").length;
    }
  }

  /**
   * Runes up to (not including) the first stop rune, which is consumed and returned as `last`
   * (undefined at the end). With `escapes`, a backslash takes the next rune literally.
   */
  until(stop: ReadonlySet<string>, options: { escapes: boolean }): { text: string; last?: string } {
    let text = "";
    for (;;) {
      const r = this.read();
      if (r === undefined) return { text };
      if (stop.has(r)) return { text, last: r };
      if (r === "\\" && options.escapes) {
        const next = this.read();
        if (next === undefined) return { text };
        text += next;
      } else {
        text += r;
      }
    }
  }
}
