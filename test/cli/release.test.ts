// End to end: the release commands against a real built-in cluster, with kubectl beside them.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCleanFailure, REPO_ROOT, runBerth, type CliResult } from "../helpers/cli.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { expectGolden } from "../helpers/golden.js";
import { chartFiles, makeTempDir, removeTempDirs, writeFiles } from "../helpers/tmp.js";

let c: TestCluster;
const HELLO = path.join(REPO_ROOT, "examples/hello");

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c.stop();
  await removeTempDirs();
});

const berth = (args: string[], timeoutMs?: number): Promise<CliResult> =>
  runBerth(["--kubeconfig", c.kubeconfig, ...args], timeoutMs ? { timeoutMs } : {});

async function ok(args: string[]): Promise<string> {
  const r = await berth(args);
  if (r.code !== 0) throw new Error(`berth ${args.join(" ")} failed (exit ${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** Times vary run to run; goldens hold a placeholder. */
const stable = (text: string) => text.replace(/\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}/g, "<TIME>");

const json = <T>(text: string): T => JSON.parse(text) as T;

/** A chart of ConfigMaps whose set is driven by values: `keep`, and `extra` unless dropExtra. */
async function cmChart(extra: Record<string, string> = {}): Promise<string> {
  const dir = await makeTempDir("berth-rel-chart-");
  return writeFiles(
    dir,
    chartFiles("cms", {
      "values.yaml": "message: hello\ndropExtra: false\n",
      "templates/keep.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-keep\ndata:\n  message: {{quote Values.message}}\n",
      "templates/extra.yaml":
        "{{#unless Values.dropExtra}}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-extra\ndata:\n  a: b\n{{/unless}}\n",
      "templates/NOTES.txt": "{{Release.Name}} says {{Values.message}}\n",
      ...extra,
    }),
  );
}

const cmMessage = (name: string, ns = "default") => c.kubectlOk(["get", "configmap", name, "-n", ns, "-o", "jsonpath={.data.message}"]);

describe("install, upgrade, rollback, uninstall of examples/hello", () => {
  it("install prints Helm's summary and notes; list, status, history, get values agree", async () => {
    await expectGolden("release/install.txt", stable(await ok(["install", "web", HELLO, "--set", "message=one"])));
    await expectGolden("release/list.txt", stable(await ok(["list"])));
    const status = json<{ revision: number; status: string }>(await ok(["status", "web", "-o", "json"]));
    expect(status).toMatchObject({ revision: 1, status: "deployed" });
    expect(await ok(["get", "values", "web"])).toBe("USER-SUPPLIED VALUES:\nmessage: one\n");
    expect(await cmMessage("web-hello-config")).toBe("one");
    const secrets = await c.kubectlOk(["get", "secret", "-l", "owner=berth", "-o", "jsonpath={.items[*].metadata.name}"]);
    expect(secrets).toBe("berth.release.v1.web.v1");
    expect(await c.kubectlOk(["get", "secret", "berth.release.v1.web.v1", "-o", "jsonpath={.type} {.metadata.labels.status}"])).toBe(
      "berth.dev/release.v1 deployed",
    );
  });

  it("upgrade with --set makes revision 2 and changes the objects", async () => {
    await ok(["upgrade", "web", HELLO, "--set", "message=two"]);
    expect(await cmMessage("web-hello-config")).toBe("two");
    const history = json<{ revision: number; status: string }[]>(await ok(["history", "web", "-o", "json"]));
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual(["1:superseded", "2:deployed"]);
  });

  it("rollback makes revision 3 holding revision 1's manifest and values", async () => {
    expect(await ok(["rollback", "web", "1"])).toBe("Rollback was a success! web is at revision 3.\n");
    expect(await cmMessage("web-hello-config")).toBe("one");
    expect(await ok(["get", "manifest", "web", "--revision", "3"])).toBe(await ok(["get", "manifest", "web", "--revision", "1"]));
    expect(await ok(["get", "values", "web"])).toBe("USER-SUPPLIED VALUES:\nmessage: one\n");
    await expectGolden("release/history.txt", stable(await ok(["history", "web"])));
  });

  it("uninstall --keep-history removes the objects and keeps the records", async () => {
    expect(await ok(["uninstall", "web", "--keep-history"])).toBe('release "web" uninstalled\n');
    expect((await c.kubectl(["get", "configmap", "web-hello-config"])).code).not.toBe(0);
    expect(await ok(["list"])).toBe("NAME   NAMESPACE   REVISION   UPDATED   STATUS   CHART   APP VERSION\n");
    const all = json<{ name: string; status: string }[]>(await ok(["list", "--all", "-o", "json"]));
    expect(all.map((r) => `${r.name}:${r.status}`)).toEqual(["web:uninstalled"]);
    expect((await c.kubectlOk(["get", "secret", "-l", "owner=berth,name=web", "-o", "name"])).trim().split("\n")).toHaveLength(3);
  });
});

describe("values, prune, namespaces", () => {
  it("--reuse-values keeps earlier values; --reset-values drops them", async () => {
    const chart = await cmChart();
    await ok(["install", "vals", chart, "--set", "message=first"]);
    await ok(["upgrade", "vals", chart, "--reuse-values", "--set", "dropExtra=false"]);
    expect(await cmMessage("vals-keep")).toBe("first");
    await ok(["upgrade", "vals", chart, "--reset-values", "--set", "dropExtra=false"]);
    expect(await cmMessage("vals-keep")).toBe("hello");
  });

  it("upgrade --install installs a missing release; --generate-name names one after the chart", async () => {
    const chart = await cmChart();
    expect(await ok(["upgrade", "--install", "ui", chart])).toContain("REVISION: 1");
    expect(await ok(["upgrade", "--install", "ui", chart, "--set", "message=again"])).toContain("REVISION: 2");
    expect(await ok(["install", chart, "--generate-name"])).toMatch(/^NAME: cms-\d+$/m);
  });

  it("prune removes the template an upgrade dropped and nothing else", async () => {
    const chart = await cmChart();
    await ok(["install", "pr", chart]);
    await c.kubectlOk(["create", "configmap", "pr-bystander", "--from-literal=a=b"]);
    expect(await ok(["upgrade", "pr", chart, "--set", "dropExtra=true"])).toContain("REVISION: 2");
    expect((await c.kubectl(["get", "configmap", "pr-extra"])).code).not.toBe(0);
    await c.kubectlOk(["get", "configmap", "pr-keep"]);
    await c.kubectlOk(["get", "configmap", "pr-bystander"]);
  });

  it("--create-namespace and -n put objects and records in that namespace; -A lists across", async () => {
    const chart = await cmChart();
    await ok(["install", "nsrel", chart, "-n", "team-a", "--create-namespace"]);
    expect(await cmMessage("nsrel-keep", "team-a")).toBe("hello");
    await c.kubectlOk(["get", "secret", "berth.release.v1.nsrel.v1", "-n", "team-a"]);
    const names = json<{ name: string; namespace: string }[]>(await ok(["list", "-A", "-o", "json"])).map((r) => `${r.namespace}/${r.name}`);
    expect(names).toContain("team-a/nsrel");
    expect(json<unknown[]>(await ok(["list", "-f", "^nsrel$", "-o", "json"]))).toEqual([]);
  });
});

describe("hooks", () => {
  it("run by weight with their delete policies, and are recorded", async () => {
    const hook = (name: string, weight: number, policy?: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade\n    "helm.sh/hook-weight": "${weight}"\n` +
      (policy ? `    "berth.dev/hook-delete-policy": ${policy}\n` : "") +
      "data:\n  a: b\n";
    const chart = await cmChart({
      "templates/hook-late.yaml": hook("hk-late", 5, "hook-succeeded"),
      "templates/hook-early.yaml": hook("hk-early", -5),
      "templates/tests/check.yaml":
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hk-test\n  annotations:\n    "helm.sh/hook": test\ndata:\n  a: b\n',
    });
    await ok(["install", "hk", chart]);
    expect((await c.kubectl(["get", "configmap", "hk-late"])).code).not.toBe(0);
    await c.kubectlOk(["get", "configmap", "hk-early"]);
    const hooks = json<{ name: string; lastRun: { phase: string } }[]>(await ok(["get", "hooks", "hk", "-o", "json"]));
    expect(hooks.map((h) => `${h.name}:${h.lastRun.phase}`)).toEqual(["hk-early:Succeeded", "hk-test:Unknown", "hk-late:Succeeded"]);
    await ok(["upgrade", "hk", chart]);
    expect((await c.kubectl(["get", "configmap", "hk-test"])).code).not.toBe(0);
    expect(stable(await ok(["test", "hk"]))).toContain("TEST SUITE:     hk\n  ConfigMap/hk-test: Succeeded\n");
    await c.kubectlOk(["get", "configmap", "hk-test"]);
  });
});

describe("diff upgrade, dry runs, berth apply", () => {
  it("diff upgrade shows the change against the live objects and stores nothing", async () => {
    const chart = await cmChart();
    await ok(["install", "df", chart]);
    const out = await ok(["diff", "upgrade", "df", chart, "--set", "message=changed,dropExtra=true"]);
    expect(out).toContain("-  message: hello\n+  message: changed\n");
    expect(out).toContain("--- live/ConfigMap/default/df-extra");
    expect(await ok(["diff", "upgrade", "df", chart])).toBe("no changes\n");
    expect(json<unknown[]>(await ok(["history", "df", "-o", "json"]))).toHaveLength(1);
    expect(await cmMessage("df-keep")).toBe("hello");
  });

  it("install --dry-run prints the manifest and touches nothing", async () => {
    const chart = await cmChart();
    for (const mode of ["--dry-run", "--dry-run=server"]) {
      const out = await ok(["install", "dry", chart, mode]);
      expect(out).toContain("MANIFEST:\n---\n# Source: cms/templates/extra.yaml\n");
    }
    expect((await c.kubectl(["get", "configmap", "dry-keep"])).code).not.toBe(0);
    expect((await berth(["status", "dry"])).code).toBe(1);
  });

  it("apply -f creates, leaves unchanged objects alone, and --prune -l deletes only what berth applied", async () => {
    const dir = await makeTempDir();
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels: {app: ap}\ndata: {x: "1"}\n`;
    await writeFiles(dir, { "a.yaml": `${cm("ap-a")}---\n${cm("ap-b")}` });
    expect(await ok(["apply", "-f", dir])).toBe("configmap/ap-a created\nconfigmap/ap-b created\n");
    expect(await ok(["apply", "-f", dir])).toBe("configmap/ap-a unchanged\nconfigmap/ap-b unchanged\n");
    await c.kubectlOk(["create", "configmap", "ap-manual"]);
    await c.kubectlOk(["label", "configmap", "ap-manual", "app=ap"]);
    await writeFiles(dir, { "a.yaml": cm("ap-a") });
    expect(await ok(["apply", "-f", dir, "--prune", "-l", "app=ap"])).toBe("configmap/ap-a unchanged\nconfigmap/ap-b pruned\n");
    await c.kubectlOk(["get", "configmap", "ap-manual"]);
    expectCleanFailure(await berth(["apply", "-f", dir, "--prune"]));
  });
});

describe("failures", () => {
  it("--atomic: a failed upgrade rolls back by itself", async () => {
    const chart = await cmChart({
      "templates/claim.yaml":
        "{{#if Values.claim}}\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: at-claim\nspec:\n  storageClassName: no-such-class\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Mi\n{{/if}}\n",
    });
    await ok(["install", "at", chart, "--set", "message=good"]);
    const r = await berth(["upgrade", "at", chart, "--atomic", "--timeout", "2s", "--set", "claim=true,message=bad"]);
    // Progress lines come first (plain lines without a TTY); the error is the last line.
    expect(r.code).toBe(1);
    expectCleanFailure({ ...r, stderr: r.stderr.trim().split("\n").slice(-1)[0] });
    expect(r.stderr).toMatch(/upgrade to revision 2 failed: timed out .*PersistentVolumeClaim\/at-claim.*--atomic: rolled back to revision 1/);
    const history = json<{ revision: number; status: string }[]>(await ok(["history", "at", "-o", "json"]));
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual(["1:superseded", "2:failed", "3:deployed"]);
    expect(await cmMessage("at-keep")).toBe("good");
    expect((await c.kubectl(["get", "pvc", "at-claim"])).code).not.toBe(0);
  });

  it("a berth killed mid-install leaves pending-install, which the next upgrade recovers", async () => {
    const chart = await cmChart({
      "templates/claim.yaml":
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{Release.Name}}-claim\nspec:\n  storageClassName: no-such-class\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Mi\n",
    });
    const killed = await berth(["install", "crash", chart, "--wait", "--timeout", "10m"], 5000);
    expect(killed.code).not.toBe(0);
    expect(json<{ status: string }>(await ok(["status", "crash", "-o", "json"])).status).toBe("pending-install");
    const r = await berth(["upgrade", "crash", chart]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Warning: release crash: revision 1 was left pending-install by .* is gone\); marked it failed\n$/);
    const history = json<{ revision: number; status: string }[]>(await ok(["history", "crash", "-o", "json"]));
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual(["1:failed", "2:deployed"]);
  });

  it("a second operation while one is running gets a clear conflict and changes nothing", async () => {
    const chart = await cmChart({
      "templates/claim.yaml":
        "{{#if Values.claim}}\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: cc-claim\nspec:\n  storageClassName: no-such-class\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Mi\n{{/if}}\n",
    });
    await ok(["install", "cc", chart]);
    const slow = berth(["upgrade", "cc", chart, "--wait", "--timeout", "8s", "--set", "claim=true"]);
    for (let i = 0; i < 50; i++) {
      const r = await berth(["status", "cc", "-o", "json"]);
      if (r.code === 0 && json<{ status: string }>(r.stdout).status === "pending-upgrade") break;
    }
    const second = await berth(["rollback", "cc", "1"]);
    expectCleanFailure(second);
    expect(second.stderr).toMatch(/release cc: another operation \(pending-upgrade of revision 2 by .*\) is in progress/);
    expect((await slow).code).toBe(1);
    const history = json<{ revision: number; status: string }[]>(await ok(["history", "cc", "-o", "json"]));
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual(["1:deployed", "2:failed"]);
  });

  it("a conflicting manual edit fails cleanly without --force-conflicts and stores nothing", async () => {
    const chart = await cmChart();
    await ok(["install", "cf", chart]);
    await c.kubectlOk(["patch", "configmap", "cf-keep", "--type", "merge", "-p", '{"data":{"message":"manual"}}']);
    const r = await berth(["upgrade", "cf", chart, "--set", "message=mine"]);
    expectCleanFailure(r);
    expect(r.stderr).toContain('conflict on field .data.message (owned by "kubectl-patch")');
    expect(r.stderr).toContain("--force-conflicts");
    expect(json<unknown[]>(await ok(["history", "cf", "-o", "json"]))).toHaveLength(1);
    await ok(["upgrade", "cf", chart, "--set", "message=mine", "--force-conflicts"]);
    expect(await cmMessage("cf-keep")).toBe("mine");
  });

  it.each([
    ["a name that is not a DNS label", ["install", "Bad_Name", HELLO], /release name "Bad_Name" is invalid/],
    ["a missing chart", ["install", "x", "/no/such/chart"], /chart not found: \/no\/such\/chart/],
    ["bad values", ["install", "x", HELLO, "--set", "a[=1"], /--set "a\[=1"/],
    ["an unknown release", ["status", "nope"], /release nope: not found in namespace default/],
    ["an upgrade of an unknown release", ["upgrade", "nope", HELLO], /release nope: has no deployed releases in namespace default/],
    ["a revision that does not exist", ["rollback", "vals", "42"], /release vals: revision 42 not found/],
    ["a revision that is not a number", ["get", "values", "vals", "--revision", "x"], /--revision: expected a revision number/],
    ["a bad --timeout", ["install", "x", HELLO, "--timeout", "soon"], /--timeout: expected a duration/],
    ["an in-use name", ["install", "vals", HELLO], /release vals: cannot re-use a name that is still in use/],
  ])("%s: one clear line, exit 1, nothing stored", async (_label, args, message) => {
    const before = await c.kubectlOk(["get", "secret", "-A", "-l", "owner=berth", "-o", "name"]);
    const r = await berth(args);
    expectCleanFailure(r);
    expect(r.stderr).toMatch(message);
    expect(await c.kubectlOk(["get", "secret", "-A", "-l", "owner=berth", "-o", "name"])).toBe(before);
  });

  it("an unreachable cluster is named", async () => {
    const dir = await makeTempDir();
    const { readFile, writeFile } = await import("node:fs/promises");
    const text = (await readFile(c.kubeconfig, "utf8")).replace(/server: .*/, "server: http://127.0.0.1:1");
    await writeFile(path.join(dir, "kc"), text);
    const r = await runBerth(["--kubeconfig", path.join(dir, "kc"), "list"]);
    expectCleanFailure(r);
    expect(r.stderr).toBe("Error: no cluster reachable at http://127.0.0.1:1: start one with `berth cluster up`\n");
  });
});
