// Lets pending promise callbacks (worker loops woken by a FakeClock timer) run. It yields to
// the event loop a few times; it waits for no wall-clock time.
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
