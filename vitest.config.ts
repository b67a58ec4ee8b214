import { defineConfig } from "vitest/config";

// Tests spawn the built CLI and real servers; the two cores of CI are shared, so keep
// parallelism modest and timeouts generous (no test asserts wall-clock time).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
