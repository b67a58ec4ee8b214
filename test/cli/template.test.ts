import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { expectCleanFailure, runBerth } from "../helpers/cli.js";
import { chartFiles, makeTempDir, removeTempDirs, writeFiles } from "../helpers/tmp.js";

afterAll(removeTempDirs);

const configMapChart = chartFiles("cm", {
  "values.yaml": "greeting: hello\nlist: [a, b]\nnested:\n  keep: 1\n  drop: 2\n",
  "templates/cm.yaml": [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: {{Release.Name}}-cm",
    "  namespace: {{Release.Namespace}}",
    "data:",
    "  greeting: {{quote Values.greeting}}",
    "  nested: {{quote (toJson Values.nested)}}",
    "  list: {{quote (join \",\" Values.list)}}",
    "",
  ].join("\n"),
  "templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{Release.Name}}-svc\nspec:\n  ports: [{port: 80}]\n",
});

async function chart(files: Record<string, string>): Promise<string> {
  return writeFiles(path.join(await makeTempDir(), "chart"), files);
}

function docs(stdout: string): Record<string, unknown>[] {
  return parseAllDocuments(stdout).map((d) => d.toJSON() as Record<string, unknown>).filter(Boolean);
}

describe("berth template", () => {
  it("renders with Helm's precedence: chart values < -f files in order < --set", async () => {
    const dir = await chart(configMapChart);
    const work = await makeTempDir();
    await writeFiles(work, { "a.yaml": "greeting: from-a\n", "b.yaml": "greeting: from-b\nnested:\n  drop: null\n" });
    const r = await runBerth(
      ["template", "web", dir, "-n", "prod", "-f", "a.yaml", "-f", "b.yaml", "--set", "list={x,y,z}"],
      { cwd: work },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const cm = docs(r.stdout).find((d) => d.kind === "ConfigMap");
    expect(cm).toMatchObject({
      metadata: { name: "web-cm", namespace: "prod" },
      data: { greeting: "from-b", nested: '{"keep":1}', list: "x,y,z" },
    });
  });

  it("prints documents in install order with # Source lines", async () => {
    const r = await runBerth(["template", "web", await chart(configMapChart)]);
    expect(r.code).toBe(0);
    const sources = [...r.stdout.matchAll(/^# Source: (.+)$/gm)].map((m) => m[1]);
    expect(sources).toEqual(["chart/templates/cm.yaml", "chart/templates/svc.yaml"].map((s) => s.replace("chart", "cm")));
    expect(r.stdout.startsWith("---\n# Source: cm/templates/cm.yaml\n")).toBe(true);
  });

  it("--show-only picks one template and fails clearly on an unknown one", async () => {
    const dir = await chart(configMapChart);
    const ok = await runBerth(["template", "web", dir, "--show-only", "templates/svc.yaml"]);
    expect(docs(ok.stdout).map((d) => d.kind)).toEqual(["Service"]);
    const bad = await runBerth(["template", "web", dir, "--show-only", "templates/nope.yaml"]);
    expectCleanFailure(bad);
    expect(bad.stderr).toContain("templates/nope.yaml");
  });

  it("--output-dir writes one file per template", async () => {
    const out = await makeTempDir();
    const r = await runBerth(["template", "web", await chart(configMapChart), "--output-dir", out]);
    expect(r.code).toBe(0);
    const text = await readFile(path.join(out, "cm/templates/svc.yaml"), "utf8");
    expect(text).toContain("name: web-svc");
  });

  it("-o json prints the objects", async () => {
    const r = await runBerth(["template", "web", await chart(configMapChart), "-o", "json"]);
    const parsed = JSON.parse(r.stdout) as { kind: string }[];
    expect(parsed.map((o) => o.kind)).toEqual(["ConfigMap", "Service"]);
  });

  it("checks kubeVersion against --kube-version", async () => {
    const dir = await chart({ ...configMapChart, "Chart.yaml": "apiVersion: v2\nname: cm\nversion: 0.1.0\nkubeVersion: '>=1.40.0'\n" });
    expectCleanFailure(await runBerth(["template", "web", dir]));
    expect((await runBerth(["template", "web", dir, "--kube-version", "1.41.0"])).code).toBe(0);
  });

  const badInputs: { name: string; files?: Record<string, string>; args?: string[]; expect: RegExp }[] = [
    { name: "missing chart", args: ["template", "web", "/nonexistent/chart"], expect: /\/nonexistent\/chart/ },
    {
      name: "broken values.yaml",
      files: chartFiles("bad", { "values.yaml": "a: [1, 2\nb: c\n" }),
      expect: /values\.yaml:\d+/,
    },
    {
      name: "unknown helper",
      files: chartFiles("bad", { "templates/x.yaml": "a: {{noSuchHelper 1}}\n" }),
      expect: /templates\/x\.yaml.*noSuchHelper|noSuchHelper.*templates\/x\.yaml/,
    },
    {
      name: "rendered YAML that does not parse",
      files: chartFiles("bad", { "templates/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [a\n" }),
      expect: /templates\/x\.yaml/,
    },
    {
      name: "schema violation",
      files: chartFiles("bad", {
        "values.yaml": "port: 80\n",
        "values.schema.json": '{"type":"object","properties":{"port":{"type":"integer"}}}',
        "templates/x.yaml": "{{Values.port}}\n",
      }),
      args: ["--set-string", "port=eighty"],
      expect: /port/,
    },
    {
      name: "required value missing",
      files: chartFiles("bad", { "templates/x.yaml": 'a: {{required "image.tag is required" Values.image}}\n' }),
      expect: /image\.tag is required/,
    },
    { name: "bad --set", files: configMapChart, args: ["--set", "a[x]=1"], expect: /a\[x\]=1/ },
    { name: "bad release name", files: configMapChart, args: [], expect: /release name/ },
  ];

  for (const tc of badInputs) {
    it(`bad input: ${tc.name} gives one clear line and exit 1`, async () => {
      const release = tc.name === "bad release name" ? "Bad_Name" : "web";
      const args = tc.files ? ["template", release, await chart(tc.files), ...(tc.args ?? [])] : (tc.args ?? []);
      const r = await runBerth(args);
      expectCleanFailure(r);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(tc.expect);
    });
  }
});
