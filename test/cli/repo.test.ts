// End to end: the real CLI against a real HTTP repository (`berth repo serve` in the
// background), from packaging to rendering a parent chart whose dependencies resolve from it.
import { spawn, type ChildProcess } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, expectCleanFailure, runBerth } from "../helpers/cli.js";
import { makeTempDir, writeFiles } from "../helpers/tmp.js";
import { configMapTemplate, envFor, packageSpec, snapshot, tempRepoPaths, unreachableUrl } from "../repo/fixtures.js";
import type { RepoPaths } from "../../repo/paths.js";

interface Background {
  child: ChildProcess;
  url: string;
}

/** Starts `berth repo serve DIR --port 0 …` and waits for the URL it prints. */
function serveInBackground(dir: string, extra: string[] = []): Promise<Background> {
  const child = spawn(process.execPath, [CLI, "repo", "serve", dir, "--port", "0", ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /at (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`repo serve exited with ${code}: ${out}`)));
  });
}

function stop(bg: Background): Promise<void> {
  return new Promise((resolve) => {
    bg.child.once("exit", () => resolve());
    bg.child.kill("SIGTERM");
  });
}

let repoDir: string;
let server: Background;
let paths: RepoPaths;
let env: Record<string, string>;
const berth = (args: string[], cwd?: string) => runBerth(args, { env, cwd });

beforeAll(async () => {
  // Two charts packaged and indexed with the CLI, three versions in all.
  const src = await makeTempDir();
  repoDir = await makeTempDir("berth-e2e-repo-");
  await writeFiles(path.join(src, "alpha"), {
    "Chart.yaml": "apiVersion: v2\nname: alpha\nversion: 1.0.0\nappVersion: '3.1'\ndescription: Alpha web frontend\nkeywords: [web]\n",
    ...configMapTemplate("alpha"),
  });
  await writeFiles(path.join(src, "beta"), { "Chart.yaml": "apiVersion: v2\nname: beta\nversion: 0.5.0\ndescription: Beta worker\n" });
  for (const chart of ["alpha", "beta"]) expect((await runBerth(["package", path.join(src, chart), "-d", repoDir])).code).toBe(0);
  await writeFile(path.join(src, "alpha/Chart.yaml"), "apiVersion: v2\nname: alpha\nversion: 1.1.0\nappVersion: '3.2'\ndescription: Alpha web frontend\n");
  expect((await runBerth(["package", path.join(src, "alpha"), "-d", repoDir])).code).toBe(0);
  expect((await runBerth(["repo", "index", repoDir])).code).toBe(0);
  server = await serveInBackground(repoDir);
  paths = await tempRepoPaths();
  env = envFor(paths);
  const add = await berth(["repo", "add", "demo", server.url]);
  expect(add.stderr).toBe("");
  expect(add.stdout).toBe('"demo" has been added to your repositories\n');
});

afterAll(async () => {
  if (server) await stop(server);
});

describe("berth repo / search / pull / template from a served repository", () => {
  it("lists the repository and searches it like helm", async () => {
    expect((await berth(["repo", "list"])).stdout).toBe(`NAME   URL\ndemo   ${server.url}\n`);
    const search = await berth(["search", "repo", "alpha"]);
    expect(search.stdout).toBe("NAME         CHART VERSION   APP VERSION   DESCRIPTION\ndemo/alpha   1.1.0           3.2           Alpha web frontend\n");
    const all = JSON.parse((await berth(["search", "repo", "--versions", "-o", "json"])).stdout) as { name: string; version: string }[];
    expect(all.map((r) => `${r.name}@${r.version}`)).toEqual(["demo/alpha@1.1.0", "demo/alpha@1.0.0", "demo/beta@0.5.0"]);
    expect((await berth(["search", "repo", "gamma"])).stdout).toBe("No results found\n");
    expect((await berth(["repo", "update"])).stdout).toContain('...Successfully got an update from the "demo" chart repository\nUpdate Complete.\n');
  });

  it("pulls by REPO/CHART and --version, and unpacks with --untar", async () => {
    const dest = await makeTempDir();
    const pulled = await berth(["pull", "demo/alpha", "--version", "~1.0", "-d", dest]);
    expect(pulled.stderr).toBe("");
    expect(pulled.stdout).toBe(`Pulled alpha 1.0.0 to ${path.join(dest, "alpha-1.0.0.tgz")}\n`);
    expect((await readFile(path.join(dest, "alpha-1.0.0.tgz"))).equals(await readFile(path.join(repoDir, "alpha-1.0.0.tgz")))).toBe(true);
    expect((await berth(["pull", "demo/beta", "--untar", "-d", dest])).code).toBe(0);
    expect(await readFile(path.join(dest, "beta/Chart.yaml"), "utf8")).toContain("name: beta");
  });

  it("templates and shows charts by REPO/CHART --version and by URL", async () => {
    const rendered = await berth(["template", "web", "demo/alpha", "--version", "1.0.0", "--set", "greeting=hi"]);
    expect(rendered.stderr).toBe("");
    expect(rendered.stdout).toContain("# Source: alpha/templates/cm.yaml");
    expect(rendered.stdout).toContain("name: web-alpha");
    expect(rendered.stdout).toContain('greeting: "hi"');
    const shown = await berth(["show", "chart", new URL("beta-0.5.0.tgz", server.url).toString()]);
    expect(shown.stdout).toContain("name: beta");
    expect((await berth(["--version"])).stdout).toBe("0.1.0\n");
  });

  it("resolves a parent chart's dependencies from the repository and a file:// folder and renders them", async () => {
    const root = await makeTempDir();
    const parent = path.join(root, "parent");
    await writeFiles(parent, {
      "Chart.yaml":
        "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n" +
        `- name: alpha\n  version: "^1.0.0"\n  repository: "@demo"\n` +
        `- name: lib\n  version: "0.x"\n  repository: "file://../lib"\n`,
      "values.yaml": "alpha:\n  greeting: from-parent\n",
    });
    await writeFiles(path.join(root, "lib"), { "Chart.yaml": "apiVersion: v2\nname: lib\nversion: 0.3.0\n", ...configMapTemplate("lib") });
    expect((await berth(["dependency", "list", parent, "-o", "json"])).stdout).toContain('"status": "missing"');
    const update = await berth(["dependency", "update", parent]);
    expect(update.stderr).toBe("");
    expect(update.stdout).toContain("Locked alpha 1.1.0 from " + server.url);
    expect(update.stdout).toContain("Saved charts/lib-0.3.0.tgz");
    const lock = await readFile(path.join(parent, "Chart.lock"), "utf8");
    expect(lock).toContain("- name: lib\n  repository: file://../lib\n  version: 0.3.0\n");
    const list = await berth(["dependency", "list", parent]);
    expect(list.stdout).toBe(`NAME    VERSION   REPOSITORY      STATUS\nalpha   ^1.0.0    @demo           ok\nlib     0.x       file://../lib   ok\n`);
    const rendered = await berth(["template", "rel", parent]);
    expect(rendered.stderr).toBe("");
    expect(rendered.stdout).toContain("# Source: parent/charts/alpha/templates/cm.yaml");
    expect(rendered.stdout).toContain('greeting: "from-parent"');
    expect(rendered.stdout).toContain("# Source: parent/charts/lib/templates/cm.yaml");
    expect(rendered.stdout).toContain("name: rel-lib");
    const build = await berth(["dependency", "build", parent]);
    expect(build.stdout).toContain("Chart.lock unchanged");
  });
});

describe("bad input: one clear line, exit 1, nothing damaged", () => {
  it("refuses a tampered archive and writes nothing", async () => {
    const dir = await makeTempDir("berth-tampered-");
    await packageSpec({ name: "tam", version: "1.0.0" }, dir);
    expect((await runBerth(["repo", "index", dir])).code).toBe(0);
    const bg = await serveInBackground(dir);
    try {
      const home = await tempRepoPaths();
      const e = envFor(home);
      expect((await runBerth(["repo", "add", "t", bg.url], { env: e })).code).toBe(0);
      await packageSpec({ name: "tam", version: "1.0.0", description: "tampered" }, dir);
      const dest = await makeTempDir();
      const cache = await snapshot(home.cacheHome);
      const result = await runBerth(["pull", "t/tam", "-d", dest], { env: e });
      expectCleanFailure(result);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Error: http:\S+tam-1\.0\.0\.tgz: digest mismatch: the index says sha256:[0-9a-f]{64}, the download is sha256:[0-9a-f]{64}; refusing the archive\n$/);
      expect(await snapshot(dest)).toEqual(new Map());
      expect(await snapshot(home.cacheHome)).toEqual(cache);
      expectCleanFailure(await runBerth(["template", "t/tam"], { env: e }));
    } finally {
      await stop(bg);
    }
  });

  it("an unreachable repository, a malformed index, an unknown repository, an unsatisfiable range", async () => {
    const cases: [string[], RegExp][] = [
      [["repo", "add", "x", await unreachableUrl()], /^Error: GET http:\S+index\.yaml: repository unreachable: .*ECONNREFUSED/],
      [["repo", "add", "x", new URL("alpha-1.0.0.tgz/", server.url).toString()], /^Error: GET \S+: HTTP 404/],
      [["pull", "nope/alpha"], /^Error: chart not found: nope\/alpha: no local chart there and no repository named "nope"/],
      [["pull", "demo/alpha", "--version", "^7"], /^Error: chart "alpha" version "\^7" not found in repository "demo" \(available: 1\.1\.0, 1\.0\.0\)/],
      [["repo", "remove", "nope"], /^Error: no repository named "nope" found/],
      [["search", "repo", "x", "--version", "bad range!"], /^Error: --version: "bad range!" is not a valid version constraint/],
    ];
    const before = [await snapshot(paths.configHome), await snapshot(paths.cacheHome)];
    for (const [args, message] of cases) {
      const result = await berth(args);
      expectCleanFailure(result);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    expect([await snapshot(paths.configHome), await snapshot(paths.cacheHome)]).toEqual(before);
  });

  it("a malformed index on update keeps the cache byte-identical", async () => {
    const dir = await makeTempDir();
    await packageSpec({ name: "m", version: "1.0.0" }, dir);
    expect((await runBerth(["repo", "index", dir])).code).toBe(0);
    const bg = await serveInBackground(dir);
    try {
      const home = await tempRepoPaths();
      const e = envFor(home);
      expect((await runBerth(["repo", "add", "m", bg.url], { env: e })).code).toBe(0);
      const cache = await snapshot(home.cacheHome);
      await writeFile(path.join(dir, "index.yaml"), "apiVersion: v1\nentries:\n  m:\n  - name: m\n    version: 1.0.0\n");
      const result = await runBerth(["repo", "update"], { env: e });
      expectCleanFailure(result);
      expect(result.stderr).toMatch(/failed to update "m" \(malformed index \S+index\.yaml: entries\.m\[0\]\.urls: expected a non-empty list of URLs/);
      expect(await snapshot(home.cacheHome)).toEqual(cache);
    } finally {
      await stop(bg);
    }
  });

  it("keeps credentials out of every output and the file private", async () => {
    const dir = await makeTempDir();
    await packageSpec({ name: "p", version: "1.0.0" }, dir);
    expect((await runBerth(["repo", "index", dir])).code).toBe(0);
    const bg = await serveInBackground(dir, ["--username", "ci", "--password", "hunter2-secret"]);
    try {
      const home = await tempRepoPaths();
      const e = envFor(home);
      const denied = await runBerth(["repo", "add", "p", bg.url], { env: e });
      expectCleanFailure(denied);
      expect(denied.stderr).toMatch(/HTTP 401 .*--username/);
      const outputs = [
        await runBerth(["repo", "add", "p", bg.url, "--username", "ci", "--password", "hunter2-secret"], { env: e }),
        await runBerth(["repo", "list", "-o", "yaml"], { env: e }),
        await runBerth(["repo", "list", "-o", "json"], { env: e }),
        await runBerth(["pull", "p/p", "-d", await makeTempDir()], { env: e }),
      ];
      for (const o of outputs) {
        expect(o.code).toBe(0);
        expect(o.stdout + o.stderr).not.toContain("hunter2");
      }
    } finally {
      await stop(bg);
    }
  });
});
