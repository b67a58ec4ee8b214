import { describe, expect, it } from "vitest";
import { renderOne, withFile } from "./fixtures.js";

const files = [
  withFile("config/app.ini", "[main]\nport = 80\n"),
  withFile("config/log.conf", "level=info"),
  withFile("config/nested/deep.txt", "deep"),
  withFile("bin/blob", Buffer.from([0xff, 0x00, 0x01])),
];

describe("Files helpers", () => {
  const cases: [string, string][] = [
    ['{{fileGet "config/log.conf"}}', "level=info"],
    ['{{fileGet "nope"}}', ""],
    ['{{Files.Get "config/log.conf"}}', "level=info"],
    ['{{join "," (keys (fileGlob "config/*"))}}', "config/app.ini,config/log.conf"],
    ['{{join "," (keys (fileGlob "config/**"))}}', "config/app.ini,config/log.conf,config/nested/deep.txt"],
    ['{{#each (fileLines "config/app.ini")}}[{{this}}]{{/each}}', "[[main]][port = 80]"],
    ['{{len (fileLines "nope")}}', "0"],
    ['{{filesAsConfig "config/*"}}', "app.ini: |\n  [main]\n  port = 80\nlog.conf: level=info"],
    ['{{filesAsConfig (fileGlob "config/log.*")}}', "log.conf: level=info"],
    ['{{filesAsSecrets "bin/*"}}', "blob: /wAB"],
    ['{{filesAsSecrets "config/log.conf"}}', "log.conf: bGV2ZWw9aW5mbw=="],
    ['{{filesAsConfig "none/*"}}', "{}"],
    ['{{#each (fileGlob "config/*.conf")}}{{@key}}={{this}}{{/each}}', "config/log.conf=level=info"],
  ];
  it.each(cases)("%s", (source, expected) => {
    expect(renderOne(source, {}, ...files)).toBe(expected);
  });

  it("builds a ConfigMap body the way Helm's .AsConfig does", () => {
    const source = "data:{{nindent 2 (filesAsConfig \"config/*\")}}";
    expect(renderOne(source, {}, ...files)).toBe("data:\n  app.ini: |\n    [main]\n    port = 80\n  log.conf: level=info");
  });

  it("rejects a non-pattern argument", () => {
    expect(() => renderOne("{{filesAsConfig 3}}", {}, ...files)).toThrow(/filesAsConfig: expected a glob pattern or a files map, got int/);
  });
});
