// Values YAML: Helm's YAML 1.1 reading, errors naming file, line and column.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValuesError } from "../../../core/errors.js";
import { parseValuesYaml, readValuesFile } from "../../../charts/values/valuesFile.js";

describe("parseValuesYaml", () => {
  const cases: { name: string; text: string; want: Record<string, unknown> }[] = [
    { name: "empty file", text: "", want: {} },
    { name: "only comments", text: "# nothing\n", want: {} },
    { name: "explicit null document", text: "~\n", want: {} },
    { name: "nested map", text: "image:\n  repository: nginx\n  tag: '1.2'\n", want: { image: { repository: "nginx", tag: "1.2" } } },
    { name: "YAML 1.1 booleans, as Helm reads them", text: "a: yes\nb: off\nc: True\n", want: { a: true, b: false, c: true } },
    { name: "YAML 1.1 octal", text: "mode: 0644\n", want: { mode: 420 } },
    { name: "timestamps stay strings", text: "date: 2001-12-14\n", want: { date: "2001-12-14" } },
    { name: "sexagesimal stays a string", text: "port: 22:22\n", want: { port: "22:22" } },
    { name: "null values", text: "a: null\nb: ~\nc:\n", want: { a: null, b: null, c: null } },
    { name: "duplicate keys: the last wins", text: "a: 1\na: 2\n", want: { a: 2 } },
    { name: "anchors and merge keys", text: "base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2\n", want: { base: { x: 1 }, derived: { x: 1, z: 2 } } },
    { name: "several documents merge in order", text: "a: {x: 1, z: 1}\n---\na: {z: 2}\nb: 3\n", want: { a: { x: 1, z: 2 }, b: 3 } },
    // Helm's own footgun (helm/helm#11054), kept so charts mean the same here as in Helm.
    { name: "YAML 1.1 boolean keys become \"true\"/\"false\"", text: "size: {x: 1, y: 2, n: 3}\n", want: { size: { x: 1, true: 2, false: 3 } } },
    { name: "numeric keys become strings", text: "1: one\n", want: { "1": "one" } },
  ];
  for (const c of cases) {
    it(c.name, () => expect(parseValuesYaml(c.text, { source: "values.yaml" })).toEqual(c.want));
  }

  const errors: { name: string; text: string; want: RegExp }[] = [
    { name: "bad indentation", text: "a:\n  b: 1\n c: 2\n", want: /^values\.yaml:3:\d+: / },
    { name: "unclosed flow sequence", text: "a: 1\nb: [1, 2\n", want: /^values\.yaml:\d+:\d+: / },
    { name: "tab indentation", text: "a:\n\tb: 1\n", want: /^values\.yaml:2:1: / },
    { name: "a list at the top", text: "- a\n- b\n", want: /^values\.yaml: values must be a map .* got array$/ },
    { name: "a scalar at the top", text: "hello\n", want: /^values\.yaml: values must be a map .* got string$/ },
  ];
  for (const c of errors) {
    it(`fails: ${c.name}`, () => {
      expect(() => parseValuesYaml(c.text, { source: "values.yaml" })).toThrow(ValuesError);
      expect(() => parseValuesYaml(c.text, { source: "values.yaml" })).toThrow(c.want);
    });
  }

  it("gives a one-line message", () => {
    try {
      parseValuesYaml("a: [1,\n", { source: "x.yaml" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValuesError);
      expect((err as Error).message).not.toContain("\n");
    }
  });
});

describe("readValuesFile", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-values-"));
  writeFileSync(path.join(dir, "prod.yaml"), "replicas: 3\n");
  writeFileSync(path.join(dir, "bad.yaml"), "a: b: c\n");

  it("reads a path relative to cwd", async () => {
    expect(await readValuesFile("prod.yaml", { cwd: dir })).toEqual({ replicas: 3 });
  });

  it("reads stdin for -", async () => {
    expect(await readValuesFile("-", { cwd: dir, readStdin: async () => "a: 1\n" })).toEqual({ a: 1 });
  });

  it("names the file in a syntax error", async () => {
    await expect(readValuesFile("bad.yaml", { cwd: dir })).rejects.toThrow(/^bad\.yaml:1:\d+: /);
  });

  it("names a missing file", async () => {
    await expect(readValuesFile("nope.yaml", { cwd: dir })).rejects.toThrow(/^nope\.yaml: cannot read values file: ENOENT/);
  });

  it("fetches an http URL", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/v.yaml") res.end("fromUrl: true\n");
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await readValuesFile(`http://127.0.0.1:${port}/v.yaml`, { cwd: dir })).toEqual({ fromUrl: true });
      await expect(readValuesFile(`http://127.0.0.1:${port}/missing.yaml`, { cwd: dir })).rejects.toThrow("HTTP 404");
    } finally {
      server.close();
    }
  });
});
