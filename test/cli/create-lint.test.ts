import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { expectCleanFailure, runBerth } from "../helpers/cli.js";
import { expectGolden } from "../helpers/golden.js";
import { chartFiles, makeTempDir, removeTempDirs, writeFiles } from "../helpers/tmp.js";

afterAll(removeTempDirs);

describe("berth create", () => {
  it("scaffolds a chart that lints clean and renders the expected manifests", async () => {
    const work = await makeTempDir();
    const created = await runBerth(["create", "demo"], { cwd: work });
    expect(created.code).toBe(0);
    const lint = await runBerth(["lint", "demo"], { cwd: work });
    expect(lint.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(lint.stdout).not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(lint.code).toBe(0);

    const rendered = await runBerth(["template", "web", "demo"], { cwd: work });
    expect(rendered.stderr).toBe("");
    await expectGolden("create-demo-template.yaml", rendered.stdout);
    const kinds = parseAllDocuments(rendered.stdout).map((d) => (d.toJSON() as { kind: string }).kind);
    expect(kinds).toEqual(["ServiceAccount", "Service", "Deployment", "Pod"]);
  });

  it("renders the optional parts when enabled", async () => {
    const work = await makeTempDir();
    await runBerth(["create", "demo"], { cwd: work });
    const r = await runBerth(
      ["template", "web", "demo", "--set", "ingress.enabled=true,autoscaling.enabled=true", "--set", "podLabels.tier=front"],
      { cwd: work },
    );
    expect(r.code).toBe(0);
    const objs = parseAllDocuments(r.stdout).map((d) => d.toJSON() as Record<string, never>);
    const ingress = objs.find((o) => o.kind === "Ingress") as unknown as { spec: { rules: { host: string }[] } };
    expect(ingress.spec.rules[0].host).toBe("chart-example.local");
    const deploy = objs.find((o) => o.kind === "Deployment") as unknown as {
      spec: { replicas?: number; template: { metadata: { labels: Record<string, string> } } };
    };
    expect(deploy.spec.replicas).toBeUndefined();
    expect(deploy.spec.template.metadata.labels.tier).toBe("front");
    expect(objs.some((o) => o.kind === "HorizontalPodAutoscaler")).toBe(true);
  });

  it("refuses an invalid name and an existing folder", async () => {
    const work = await makeTempDir();
    expectCleanFailure(await runBerth(["create", "Bad_Name"], { cwd: work }));
    await runBerth(["create", "demo"], { cwd: work });
    expectCleanFailure(await runBerth(["create", "demo"], { cwd: work }));
  });
});

describe("berth lint", () => {
  const cases: { name: string; files: Record<string, string>; expect: RegExp }[] = [
    {
      name: "bad Chart.yaml version",
      files: { "Chart.yaml": "apiVersion: v2\nname: x\nversion: one\n" },
      expect: /\[ERROR\] Chart\.yaml: .*version/,
    },
    {
      name: "template error",
      files: chartFiles("x", { "templates/a.yaml": "{{fail \"boom\"}}\n" }),
      expect: /\[ERROR\] templates\/.*boom/,
    },
    {
      name: "object without a name",
      files: chartFiles("x", { "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n" }),
      expect: /\[ERROR\] templates\/a\.yaml: /,
    },
    {
      name: "invalid object name",
      files: chartFiles("x", { "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n" }),
      expect: /\[ERROR\] templates\/a\.yaml: ConfigMap "Not_Valid": metadata\.name/,
    },
    {
      name: "schema violation",
      files: chartFiles("x", {
        "values.yaml": "replicas: many\n",
        "values.schema.json": '{"type":"object","properties":{"replicas":{"type":"integer"}}}',
      }),
      expect: /\[ERROR\] values\.yaml: .*replicas/,
    },
    {
      name: "missing required value",
      files: chartFiles("x", { "templates/a.yaml": '{{required "host is required" Values.host}}\n' }),
      expect: /\[ERROR\] templates\/.*host is required/,
    },
  ];
  for (const tc of cases) {
    it(`reports ${tc.name} and exits 1`, async () => {
      const dir = await writeFiles(path.join(await makeTempDir(), "x"), tc.files);
      const r = await runBerth(["lint", dir]);
      expect(r.stdout).toMatch(tc.expect);
      expect(r.stdout).toContain("1 chart(s) failed");
      expect(r.code).toBe(1);
    });
  }

  it("--strict turns warnings into failures", async () => {
    const files = chartFiles("x", {
      "Chart.yaml": "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n  - name: absent\n    version: 1.x\n",
      "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    });
    const dir = await writeFiles(path.join(await makeTempDir(), "x"), files);
    const normal = await runBerth(["lint", dir]);
    expect(normal.stdout).toMatch(/\[WARNING\] Chart\.yaml: chart directory is missing these dependencies: absent/);
    expect(normal.code).toBe(0);
    expect((await runBerth(["lint", dir, "--strict"])).code).toBe(1);
  });

  it("-o json gives structured results", async () => {
    const dir = await writeFiles(path.join(await makeTempDir(), "x"), chartFiles("x"));
    const r = await runBerth(["lint", dir, "-o", "json"]);
    const parsed = JSON.parse(r.stdout) as { failed: boolean; messages: { severity: string }[] }[];
    expect(parsed[0].failed).toBe(false);
    expect(parsed[0].messages.some((m) => m.severity === "info")).toBe(true);
  });
});
