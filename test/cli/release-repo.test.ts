// install / upgrade / diff take REPO/CHART and chart URLs, as template and pull do: the chart is
// downloaded, checked against the index's digest and installed on a real built-in cluster.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCleanFailure, runBerth, type CliResult } from "../helpers/cli.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { removeTempDirs } from "../helpers/tmp.js";
import { configMapTemplate, serveCharts, tempRepoPaths, type ServedRepo } from "../repo/fixtures.js";

let c: TestCluster;
let repo: ServedRepo;
let env: Record<string, string>;

beforeAll(async () => {
  c = await startTestCluster();
  repo = await serveCharts([
    { name: "cms", version: "1.0.0", files: configMapTemplate("cms") },
    { name: "cms", version: "1.1.0", files: configMapTemplate("cms") },
  ]);
  const paths = await tempRepoPaths();
  env = { BERTH_CONFIG_HOME: paths.configHome, BERTH_CACHE_HOME: paths.cacheHome };
  const added = await berth(["repo", "add", "charts", repo.url]);
  expect(added.code, added.stderr).toBe(0);
});

afterAll(async () => {
  await repo.server.close();
  await c.stop();
  await removeTempDirs();
});

function berth(args: string[]): Promise<CliResult> {
  return runBerth(["--kubeconfig", c.kubeconfig, ...args], { env });
}

describe("release commands with REPO/CHART", () => {
  it("installs a version from the repository and upgrades to the newest", async () => {
    const installed = await berth(["install", "web", "charts/cms", "--version", "1.0.0"]);
    expect(installed.code, installed.stderr).toBe(0);
    const listed = JSON.parse((await berth(["list", "-o", "json"])).stdout) as { name: string; chart: string }[];
    expect(listed.find((r) => r.name === "web")?.chart).toBe("cms-1.0.0");

    const upgraded = await berth(["upgrade", "web", "charts/cms"]);
    expect(upgraded.code, upgraded.stderr).toBe(0);
    const history = JSON.parse((await berth(["history", "web", "-o", "json"])).stdout) as { chart: string }[];
    expect(history.map((h) => h.chart)).toEqual(["cms-1.0.0", "cms-1.1.0"]);
  });

  it("refuses a version nothing satisfies and an unknown repository, changing nothing", async () => {
    const before = (await berth(["history", "web", "-o", "json"])).stdout;
    const noVersion = await berth(["upgrade", "web", "charts/cms", "--version", "^9"]);
    expectCleanFailure(noVersion);
    const noRepo = await berth(["upgrade", "web", "nope/cms"]);
    expectCleanFailure(noRepo);
    expect(noRepo.stderr).toContain("nope");
    expect((await berth(["history", "web", "-o", "json"])).stdout).toBe(before);
  });
});
