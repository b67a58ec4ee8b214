// Progress of the quick start's long waits: on a terminal one live line rewritten in place,
// otherwise plain lines (each change once), so logs and tests read them too.
export interface Progress {
  /** The current state of a step; repeated text is not printed twice. */
  update(text: string): void;
  /** Ends the step with a final line. */
  done(text: string): void;
  /** A log line in between (e.g. the controller's), keeping the live line below it. */
  log(text: string): void;
}

export function createProgress(stream: NodeJS.WriteStream): Progress {
  const tty = stream.isTTY === true;
  let last = "";
  let live = false;
  return {
    update(text) {
      if (text === last) return;
      last = text;
      if (tty) {
        stream.write(`\r\x1b[K${text}`);
        live = true;
      } else stream.write(`${text}\n`);
    },
    done(text) {
      if (live) stream.write("\r\x1b[K");
      live = false;
      last = "";
      stream.write(`${text}\n`);
    },
    log(text) {
      if (!live) return void stream.write(`${text}\n`);
      stream.write(`\r\x1b[K${text}\n${last}`);
    },
  };
}
