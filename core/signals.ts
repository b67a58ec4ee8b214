// Foreground commands (cluster up, quickstart, controller run) run until Ctrl-C or a TERM.

/** Resolves on the first SIGINT or SIGTERM, then stops listening so a second one acts as usual. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
