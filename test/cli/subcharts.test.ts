// The whole chart pipeline through the real CLI: a parent chart with subcharts as a folder and
// as a .tgz, an alias, condition and tags, globals, import-values, a library chart's defines,
// and the --set family. The rendered output is a golden file.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runBerth } from "../helpers/cli.js";
import { expectGolden } from "../helpers/golden.js";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/tmp.js";

let parent: string;
let work: string;

const cm = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;

beforeAll(async () => {
  work = await makeTempDir();
  // A subchart packaged as .tgz, to be dropped into the parent's charts/.
  const dbSrc = await writeFiles(path.join(work, "src/db"), {
    "Chart.yaml": "apiVersion: v2\nname: db\nversion: 2.1.0\n",
    "values.yaml": "port: 5432\nuser: app\nexports:\n  conn:\n    dbPort: 5432\n",
    "templates/cm.yaml": cm("{{Release.Name}}-db", '  port: {{quote Values.port}}\n  user: {{Values.user}}\n  region: {{Values.global.region}}\n'),
  });
  const packaged = await runBerth(["package", dbSrc, "-d", path.join(work, "parent/charts")]);
  expect(packaged.code, packaged.stderr).toBe(0);

  parent = await writeFiles(path.join(work, "parent"), {
    "Chart.yaml": [
      "apiVersion: v2",
      "name: parent",
      "version: 1.0.0",
      "dependencies:",
      "  - name: db",
      "    version: 2.x",
      "    import-values: [conn]",
      "  - name: cache",
      "    version: 1.0.0",
      "    alias: sessions",
      "    condition: sessions.enabled",
      "  - name: cache",
      "    version: 1.0.0",
      "    alias: pages",
      "    tags: [extras]",
      "  - name: common",
      "    version: 0.1.0",
      "",
    ].join("\n"),
    "values.yaml": "global:\n  region: eu\ndb:\n  user: parent-user\nsessions:\n  enabled: true\n  size: 10\ntags:\n  extras: false\n",
    "templates/app.yaml": cm(
      '{{include "common.name" this}}',
      '  dbPort: {{quote Values.dbPort}}\n  region: {{Values.global.region}}\n  sessionsSize: {{quote Values.sessions.size}}\n',
    ),
    "charts/cache/Chart.yaml": "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
    "charts/cache/values.yaml": "size: 1\n",
    "charts/cache/templates/cm.yaml": cm("{{Release.Name}}-{{Chart.Name}}", '  size: {{quote Values.size}}\n  region: {{Values.global.region}}\n'),
    "charts/common/Chart.yaml": "apiVersion: v2\nname: common\nversion: 0.1.0\ntype: library\n",
    "charts/common/templates/_names.tpl": '{{#define "common.name"~}}{{Release.Name}}-{{Chart.Name}}{{~/define}}\n',
  });
});

afterAll(removeTempDirs);

function configMaps(stdout: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const doc of parseAllDocuments(stdout)) {
    const o = doc.toJSON() as { metadata: { name: string }; data: Record<string, string> };
    out.set(o.metadata.name, o.data);
  }
  return out;
}

describe("subcharts through berth template", () => {
  it("renders enabled subcharts with their scoped values, aliases, globals and imports", async () => {
    const r = await runBerth(["template", "rel", parent]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    await expectGolden("subcharts-template.yaml", r.stdout);
    const maps = configMaps(r.stdout);
    expect([...maps.keys()].sort()).toEqual(["rel-db", "rel-parent", "rel-sessions"]);
    expect(maps.get("rel-db")).toEqual({ port: "5432", user: "parent-user", region: "eu" });
    expect(maps.get("rel-sessions")).toEqual({ size: "10", region: "eu" });
    expect(maps.get("rel-parent")).toEqual({ dbPort: "5432", region: "eu", sessionsSize: "10" });
  });

  it("tags and conditions follow --set, and the --set family reaches subcharts", async () => {
    const valuesFile = path.join(work, "region.txt");
    await writeFiles(work, { "region.txt": "us" });
    const r = await runBerth([
      "template", "rel", parent,
      "--set", "tags.extras=true,sessions.enabled=false",
      "--set-json", 'pages={"size":7}',
      "--set-string", "db.port=6543",
      "--set-file", `global.region=${valuesFile}`,
      "--set-literal", "db.user=a,b\\c",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const maps = configMaps(r.stdout);
    expect([...maps.keys()].sort()).toEqual(["rel-db", "rel-pages", "rel-parent"]);
    expect(maps.get("rel-pages")).toEqual({ size: "7", region: "us" });
    expect(maps.get("rel-db")).toEqual({ port: "6543", user: "a,b\\c", region: "us" });
  });
});
