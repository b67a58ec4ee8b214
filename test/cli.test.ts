import { describe, expect, it } from "vitest";
import { runBerth } from "./helpers/cli.js";

describe("berth CLI", () => {
  it("prints its version", async () => {
    const r = await runBerth(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("rejects an unknown command with exit 1", async () => {
    const r = await runBerth(["no-such-command"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command");
  });
});
