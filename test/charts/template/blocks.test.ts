import { describe, expect, it } from "vitest";
import { renderOne } from "./fixtures.js";

const values = {
  env: { ZED: "z", ALPHA: "a" },
  ports: [80, 443],
  emptyMap: {},
  emptyList: [],
  svc: { name: "web", port: 8080 },
  prefix: "app",
};

describe("block helpers", () => {
  const cases: [string, string][] = [
    ["{{#each Values.env}}{{@key}}={{this}};{{/each}}", "ALPHA=a;ZED=z;"],
    ["{{#each Values.ports}}{{@index}}:{{this}}{{#unless @last}},{{/unless}}{{/each}}", "0:80,1:443"],
    ["{{#each Values.ports as |port i|}}{{i}}={{port}} {{/each}}", "0=80 1=443 "],
    ["{{#each Values.emptyList}}x{{else}}none{{/each}}", "none"],
    ["{{#each Values.missing}}x{{/each}}", ""],
    ["{{#each Values.env}}{{@root.Values.prefix}}-{{@key}} {{/each}}", "app-ALPHA app-ZED "],
    ["{{#each Values.ports}}{{../Values.prefix}}{{/each}}", "appapp"],
    ["{{#with Values.svc}}{{name}}:{{port}} {{@root.Release.Name}}{{/with}}", "web:8080 rel"],
    ["{{#with Values.emptyMap}}x{{else}}empty{{/with}}", "empty"],
    ["{{#with Values.missing}}x{{else}}{{Values.prefix}}{{/with}}", "app"],
    ["{{#if Values.emptyMap}}yes{{else}}no{{/if}}", "no"],
    ["{{#if Values.emptyList}}yes{{else}}no{{/if}}", "no"],
    ["{{#if Values.svc.port}}{{Values.prefix}}{{/if}}", "app"],
    ["{{#unless Values.ports}}none{{else}}some{{/unless}}", "some"],
    ["{{#if Values.x}}a{{else if Values.prefix}}b{{else}}c{{/if}}", "b"],
  ];
  it.each(cases)("%s", (source, expected) => {
    expect(renderOne(source, values)).toBe(expected);
  });

  it("strips standalone block lines like Helm's {{- }}", () => {
    const source = "items:\n{{#each Values.ports}}\n  - {{this}}\n{{/each}}\ndone: true\n";
    expect(renderOne(source, values)).toBe("items:\n  - 80\n  - 443\ndone: true\n");
  });

  it("refuses to iterate over a string", () => {
    expect(() => renderOne("{{#each Values.prefix}}x{{/each}}", values)).toThrow(/template: mychart\/templates\/t.yaml:1: each: cannot iterate over "app"/);
  });
});
