// Helm habits on the built-in cluster: the upgrade rules after failures, --replace, uninstall of
// kept history, --dry-run before the arguments, list filters and paging, --history-max,
// --cleanup-on-fail, --reuse-values across upgrades, and a quiet --wait.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCleanFailure, runBerth, type CliResult } from "../helpers/cli.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { chartFiles, makeTempDir, removeTempDirs, writeFiles } from "../helpers/tmp.js";

let c: TestCluster;
let chart = "";

beforeAll(async () => {
  c = await startTestCluster();
  // ConfigMaps, plus a claim that never binds (no such storage class) when Values.claim is set.
  chart = await writeFiles(
    await makeTempDir("berth-helm-chart-"),
    chartFiles("cms", {
      "values.yaml": "message: hello\nclaim: false\nextra: false\n",
      "templates/keep.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-keep\ndata:\n  message: {{quote Values.message}}\n",
      "templates/extra.yaml": "{{#if Values.extra}}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-extra\ndata:\n  a: b\n{{/if}}\n",
      "templates/claim.yaml":
        "{{#if Values.claim}}\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{Release.Name}}-claim\nspec:\n  storageClassName: no-such-class\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Mi\n{{/if}}\n",
    }),
  );
});
afterAll(async () => {
  await c.stop();
  await removeTempDirs();
});

const berth = (args: string[]): Promise<CliResult> => runBerth(["--kubeconfig", c.kubeconfig, ...args]);

async function ok(args: string[]): Promise<CliResult> {
  const r = await berth(args);
  if (r.code !== 0) throw new Error(`berth ${args.join(" ")} failed (exit ${r.code}): ${r.stderr}`);
  return r;
}

async function revisions(name: string): Promise<string[]> {
  const rows = JSON.parse((await ok(["history", name, "-o", "json"])).stdout) as { revision: number; status: string }[];
  return rows.map((h) => `${h.revision}:${h.status}`);
}

const exists = async (kind: string, name: string) => (await c.kubectl(["get", kind, name])).code === 0;
const failing = ["--set", "claim=true", "--wait", "--timeout", "2s"];

describe("after failures (Helm's rules)", () => {
  it("an upgrade builds on a history that only failed; install refuses the name without --replace", async () => {
    expect((await berth(["install", "onlyfail", chart, ...failing])).code).toBe(1);
    expect(await revisions("onlyfail")).toEqual(["1:failed"]);
    const again = await berth(["install", "onlyfail", chart]);
    expectCleanFailure(again);
    expect(again.stderr).toMatch(/cannot re-use a name that is still in use \(revision 1 is failed\) \(pass --replace/);
    const up = await ok(["upgrade", "onlyfail", chart]);
    expect(up.stdout).toMatch(/^Release "onlyfail" has been upgraded\. Happy Helming!\nNAME: onlyfail\n/);
    expect(await revisions("onlyfail")).toEqual(["1:failed", "2:deployed"]);
  });

  it("install --replace re-uses a failed name as a new revision", async () => {
    expect((await berth(["install", "repl", chart, ...failing])).code).toBe(1);
    await ok(["install", "repl", chart, "--replace"]);
    expect(await revisions("repl")).toEqual(["1:failed", "2:deployed"]);
  });

  it("upgrade --install after uninstall --keep-history installs again; plain upgrade refuses", async () => {
    await ok(["install", "kept", chart]);
    await ok(["uninstall", "kept", "--keep-history"]);
    const plain = await berth(["upgrade", "kept", chart]);
    expectCleanFailure(plain);
    expect(plain.stderr).toContain("release kept: has no deployed releases in namespace default (revision 1 is uninstalled)");
    const r = await ok(["upgrade", "--install", "kept", chart]);
    expect(r.stdout).toMatch(/^Release "kept" does not exist\. Installing it now\.\nNAME: kept\n/);
    expect(await revisions("kept")).toEqual(["1:superseded", "2:deployed"]);
    expect(await exists("configmap", "kept-keep")).toBe(true);
  });

  it("uninstall of a release kept in history purges its records; --ignore-not-found", async () => {
    await ok(["install", "purge", chart]);
    await ok(["uninstall", "purge", "--keep-history"]);
    expect((await ok(["uninstall", "purge"])).stdout).toBe('release "purge" uninstalled\n');
    expect(await c.kubectlOk(["get", "secret", "-l", "owner=berth,name=purge", "-o", "name"])).toBe("");
    expectCleanFailure(await berth(["uninstall", "purge"]));
    expect((await ok(["uninstall", "purge", "--ignore-not-found"])).stdout).toBe("");
  });

  it("--cleanup-on-fail deletes what the failed upgrade created and keeps the rest", async () => {
    await ok(["install", "cof", chart]);
    const r = await berth(["upgrade", "cof", chart, "--cleanup-on-fail", "--set", "extra=true", ...failing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--cleanup-on-fail: deleted .*PersistentVolumeClaim\/cof-claim/);
    expect(r.stderr).toContain("ConfigMap/cof-extra");
    expect(await exists("configmap", "cof-extra")).toBe(false);
    expect(await exists("pvc", "cof-claim")).toBe(false);
    expect(await exists("configmap", "cof-keep")).toBe(true);
    expect(await revisions("cof")).toEqual(["1:deployed", "2:failed"]);
  });
});

describe("ownership (Helm's existing-resource check)", () => {
  it("install refuses an object someone created by hand and stores nothing; --take-ownership adopts it", async () => {
    await c.kubectlOk(["create", "configmap", "own-keep", "--from-literal=message=hello"]);
    const r = await berth(["install", "own", chart]);
    expectCleanFailure(r);
    expect(r.stderr).toContain('ConfigMap "own-keep" in namespace "default": missing annotation berth.dev/release-name (must be "own")');
    expect(r.stderr).toContain("--take-ownership");
    expect(await c.kubectlOk(["get", "secret", "-l", "owner=berth,name=own", "-o", "name"])).toBe("");
    await ok(["install", "own", chart, "--take-ownership"]);
    expect(await c.kubectlOk(["get", "configmap", "own-keep", "-o", "jsonpath={.metadata.annotations.berth\\.dev/release-name}"])).toBe("own");
    // Equal values are co-owned with kubectl-create (server-side apply), so the first change needs --force-conflicts.
    await ok(["upgrade", "own", chart, "--set", "message=again", "--force-conflicts"]);
    expect(await c.kubectlOk(["get", "configmap", "own-keep", "-o", "jsonpath={.data.message}"])).toBe("again");
  });

  it("an upgrade refuses an object new to the release that belongs to no release", async () => {
    await ok(["install", "own2", chart]);
    await c.kubectlOk(["create", "configmap", "own2-extra", "--from-literal=a=b"]);
    const r = await berth(["upgrade", "own2", chart, "--set", "extra=true"]);
    expectCleanFailure(r);
    expect(r.stderr).toContain('ConfigMap "own2-extra" in namespace "default": missing annotation');
    expect(await revisions("own2")).toEqual(["1:deployed"]);
  });
});

describe("flags users type by habit", () => {
  it("--dry-run before RELEASE CHART is a client dry run, as in Helm", async () => {
    const r = await ok(["install", "--dry-run", "dr", chart]);
    expect(r.stdout).toMatch(/^NAME: dr\n/);
    expect(r.stdout).toContain("MANIFEST:\n");
    expect(await exists("configmap", "dr-keep")).toBe(false);
    expectCleanFailure(await berth(["install", "dr", chart, "--dry-run=maybe"]));
  });

  it("--reuse-values values survive a later upgrade without values", async () => {
    await ok(["install", "reuse", chart, "--set", "message=first"]);
    await ok(["upgrade", "reuse", chart, "--reuse-values", "--set", "extra=true"]);
    await ok(["upgrade", "reuse", chart]);
    expect(await c.kubectlOk(["get", "configmap", "reuse-keep", "-o", "jsonpath={.data.message}"])).toBe("first");
    expect(await exists("configmap", "reuse-extra")).toBe(true);
    expect((await ok(["get", "values", "reuse"])).stdout).toBe("USER-SUPPLIED VALUES:\nextra: true\nmessage: first\n");
  });

  it("--history-max prunes old revision Secrets", async () => {
    await ok(["install", "hmax", chart]);
    for (const m of ["a", "b", "c"]) await ok(["upgrade", "hmax", chart, "--set", `message=${m}`, "--history-max", "2"]);
    expect(await revisions("hmax")).toEqual(["3:superseded", "4:deployed"]);
  });

  it("--wait succeeds quietly when nothing had to be waited for", async () => {
    const r = await ok(["install", "quiet", chart, "--wait"]);
    expect(r.stderr).toBe("");
  });

  it("status --show-desc and get metadata, as in Helm", async () => {
    expect((await ok(["status", "quiet", "--show-desc"])).stdout).toContain("\nDESCRIPTION: Install complete\n");
    expect((await ok(["status", "quiet"])).stdout).not.toContain("DESCRIPTION");
    expect((await ok(["get", "metadata", "quiet"])).stdout).toMatch(
      /^NAME: quiet\nCHART: cms\nVERSION: 0\.1\.0\nAPP_VERSION: 1\.0\nNAMESPACE: default\nREVISION: 1\nSTATUS: deployed\nDEPLOYED_AT: \S+\n$/,
    );
  });

  it("list: status filters, --short, --date, --max/--offset, --no-headers, Helm's JSON fields", async () => {
    const failed = (await ok(["list", "--failed", "-q"])).stdout.trim().split("\n");
    expect(failed).toEqual(["cof"]);
    const superseded = JSON.parse((await ok(["list", "--superseded", "-q", "-o", "json"])).stdout) as string[];
    expect(superseded).toEqual(expect.arrayContaining(["hmax", "kept", "reuse"]));
    const byDate = (await ok(["list", "-q", "--date", "-r"])).stdout.trim().split("\n");
    expect(byDate[0]).toBe("quiet");
    expect((await ok(["list", "-q", "--max", "1", "--offset", "1"])).stdout).toBe("hmax\n");
    expect((await ok(["list", "--no-headers", "--filter", "^quiet$"])).stdout).toMatch(/^quiet +default +1 /);
    const [row] = JSON.parse((await ok(["list", "--filter", "^quiet$", "-o", "json"])).stdout) as Record<string, unknown>[];
    expect(Object.keys(row)).toEqual(["name", "namespace", "revision", "updated", "status", "chart", "app_version"]);
    expect(row).toMatchObject({ name: "quiet", revision: 1, status: "deployed", chart: "cms-0.1.0" });
  });

  it.each([
    ["--max that is not a number", ["list", "--max", "x"], /--max: expected a whole number/],
    ["a negative --history-max", ["rollback", "quiet", "--history-max", "-1"], /--history-max: expected a whole number/],
    ["upgrade without a chart", ["upgrade", "quiet"], /upgrade: expected RELEASE CHART/],
  ])("%s: one clear line", async (_label, args, message) => {
    const r = await berth(args);
    expectCleanFailure(r);
    expect(r.stderr).toMatch(message);
  });
});
