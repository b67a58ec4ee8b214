// Precedence of -f files and the --set family (Helm's MergeValues), and the whole values step.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValuesError } from "../../../core/errors.js";
import { readUserValues, type ValueOverride } from "../../../charts/values/userValues.js";
import { prepareValues } from "../../../charts/values/prepare.js";
import { buildChart } from "../fixtures/buildChart.js";

const dir = mkdtempSync(path.join(tmpdir(), "berth-user-values-"));
writeFileSync(path.join(dir, "base.yaml"), "image: {repository: nginx, tag: '1.0'}\nports: [80, 443]\nlevel: file1\n");
writeFileSync(path.join(dir, "prod.yaml"), "image: {tag: '2.0'}\nports: [8080]\nlevel: file2\n");
writeFileSync(path.join(dir, "token.txt"), "s3cret\n");

const v = (kind: ValueOverride["kind"], value: string): ValueOverride => ({ kind, value });

describe("readUserValues", () => {
  const cases: { name: string; overrides: ValueOverride[]; want: Record<string, unknown> }[] = [
    { name: "nothing", overrides: [], want: {} },
    {
      name: "later files win, maps merge, lists replace",
      overrides: [v("values", "base.yaml"), v("values", "prod.yaml")],
      want: { image: { repository: "nginx", tag: "2.0" }, ports: [8080], level: "file2" },
    },
    {
      name: "--set wins over -f whatever the order given",
      overrides: [v("set", "level=set"), v("values", "base.yaml")],
      want: { image: { repository: "nginx", tag: "1.0" }, ports: [80, 443], level: "set" },
    },
    {
      name: "--set then --set-string then --set-file then --set-literal",
      overrides: [
        v("set-literal", "a=literal,x"),
        v("set-file", "b=token.txt"),
        v("set-string", "a=string,b=string,c=string"),
        v("set", "a=1,b=2,c=3,d=4"),
      ],
      want: { a: "literal,x", b: "s3cret\n", c: "string", d: 4 },
    },
    {
      name: "--set-json comes before --set",
      overrides: [v("set", "a.b=set"), v("set-json", 'a={"b":"json","c":[1]}')],
      want: { a: { b: "set", c: [1] } },
    },
    {
      name: "--set-json whole object merges like a file",
      overrides: [v("values", "base.yaml"), v("set-json", '{"image":{"tag":"json"}}')],
      want: { image: { repository: "nginx", tag: "json" }, ports: [80, 443], level: "file1" },
    },
    {
      name: "repeated --set: later wins",
      overrides: [v("set", "a=1,b=1"), v("set", "a=2")],
      want: { a: 2, b: 1 },
    },
    {
      name: "--set null is kept for coalescing to delete",
      overrides: [v("values", "base.yaml"), v("set", "image.tag=null")],
      want: { image: { repository: "nginx", tag: null }, ports: [80, 443], level: "file1" },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => expect(await readUserValues(c.overrides, { cwd: dir })).toEqual(c.want));
  }

  it("names the flag and expression of a bad --set", async () => {
    await expect(readUserValues([v("set", "a[x]=1")], { cwd: dir })).rejects.toThrow('--set "a[x]=1": invalid list index "x"');
  });

  it("fails on a --set into a value a file made a scalar", async () => {
    const run = readUserValues([v("values", "base.yaml"), v("set", "level.sub=1")], { cwd: dir });
    await expect(run).rejects.toThrow(ValuesError);
  });

  it("names a bad --set-json object", async () => {
    await expect(readUserValues([v("set-json", "{oops")], { cwd: dir })).rejects.toThrow('--set-json "{oops": invalid JSON object');
  });
});

describe("prepareValues", () => {
  const chart = buildChart({
    name: "web",
    values: { image: { repository: "nginx", tag: "1.0" }, debug: { level: 1 }, global: { domain: "example.com" } },
    metadata: { dependencies: [{ name: "db", condition: "db.enabled" }] },
    dependencies: [{ name: "db", values: { enabled: true, password: "default", global: { domain: "db.local", tz: "UTC" } } }],
  });

  it("coalesces user values, deletes nulls, propagates globals", async () => {
    const user = await readUserValues([v("set", "image.tag=2.0,debug=null,db.password=null")], { cwd: dir });
    const { values, chart: rendered } = prepareValues(chart, user);
    expect(rendered.dependencies.map((sub) => sub.metadata.name)).toEqual(["db"]);
    expect(values).toEqual({
      image: { repository: "nginx", tag: "2.0" },
      global: { domain: "example.com" },
      db: { enabled: true, global: { domain: "example.com", tz: "UTC" } },
    });
  });

  it("removes a subchart disabled from --set", async () => {
    const user = await readUserValues([v("set", "db.enabled=false")], { cwd: dir });
    expect(prepareValues(chart, user).chart.dependencies).toEqual([]);
  });
});
