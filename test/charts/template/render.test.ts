import { describe, expect, it } from "vitest";
import { renderChart } from "../../../charts/template/index.js";
import { MAX_INCLUDE_DEPTH } from "../../../charts/template/engine.js";
import { buildChart, renderOne, renderOptions, withLibrary, withMetadata, withName, withSubchart, withTemplate } from "./fixtures.js";

function render(chart: ReturnType<typeof buildChart>, values = {}): Map<string, string> {
  return renderChart(chart, values, renderOptions());
}

describe("renderChart", () => {
  it("keys output by Helm's template names and skips partials", () => {
    const sub = buildChart(withName("db"), withTemplate("svc.yaml", "db"), withTemplate("_h.tpl", "x"));
    const chart = buildChart(withTemplate("a.yaml", "a"), withTemplate("_helpers.tpl", "h"), withSubchart(sub));
    expect([...render(chart).keys()]).toEqual(["mychart/charts/db/templates/svc.yaml", "mychart/templates/a.yaml"]);
  });

  it("scopes Values, Chart and Template to each chart", () => {
    const sub = buildChart(
      withName("db"),
      withMetadata({ version: "2.0.0", appVersion: undefined }),
      withTemplate("t.yaml", "{{Chart.Name}}@{{Chart.Version}} app={{Chart.AppVersion}} port={{Values.port}} {{Template.Name}} {{Template.BasePath}}"),
    );
    const chart = buildChart(withTemplate("t.yaml", "{{Chart.Name}}@{{Chart.Version}} app={{Chart.AppVersion}} port={{Values.db.port}} {{Template.Name}}"), withSubchart(sub));
    const out = render(chart, { db: { port: 5432 } });
    expect(out.get("mychart/templates/t.yaml")).toBe("mychart@0.1.0 app=1.16.0 port=5432 mychart/templates/t.yaml");
    expect(out.get("mychart/charts/db/templates/t.yaml")).toBe(
      "db@2.0.0 app= port=5432 mychart/charts/db/templates/t.yaml mychart/charts/db/templates",
    );
  });

  it("exposes Release and Capabilities", () => {
    expect(renderOne("{{Release.Name}}/{{Release.Namespace}}/{{Release.IsInstall}}/{{Release.Revision}}/{{Capabilities.KubeVersion.Version}}/{{has \"apps/v1\" Capabilities.APIVersions}}")).toBe(
      "rel/default/true/1/v1.30.0/true",
    );
  });

  it("renders a missing value as empty", () => {
    expect(renderOne("a={{Values.no.such.thing}};b={{nothing}}")).toBe("a=;b=");
  });

  it("prints values as Go does: lists as [a b], maps as map[k:v]", () => {
    expect(renderOne("{{Values.list}} {{Values.map}} {{Values.n}} {{Values.t}}", { list: ["a", 1], map: { b: 2, a: [] }, n: 1.5, t: true })).toBe(
      "[a 1] map[a:[] b:2] 1.5 true",
    );
  });

  it("reaches nothing on prototypes", () => {
    expect(renderOne("[{{Values.constructor}}][{{Values.__proto__}}][{{Values.s.length}}]", { s: "abc" })).toBe("[][][3]");
  });

  it("calls functions found on values, like Files.Get", () => {
    expect(renderOne("{{Files.Get \"x\"}}|{{#each Values.l}}{{@root.Files.Get \"y\"}}{{/each}}", { l: [1] })).toBe("|");
  });

  it("does not change the values it is given", () => {
    const values = { a: { x: 1 } };
    renderOne("{{merge Values.a (dict \"y\" 2)}}", values);
    expect(values).toEqual({ a: { x: 1 } });
  });
});

describe("define, include and tpl", () => {
  it("shares defines across chart and subchart; the top chart's definition wins", () => {
    const sub = buildChart(
      withName("db"),
      withTemplate("_helpers.tpl", '{{#define "common.name"}}sub-name{{/define}}{{#define "db.only"}}from-db {{Values.x}}{{/define}}'),
      withTemplate("t.yaml", '{{include "common.name" this}}'),
    );
    const chart = buildChart(
      withTemplate("_helpers.tpl", '{{#define "common.name"}}top-name{{/define}}'),
      withTemplate("t.yaml", '{{include "common.name" this}} {{include "db.only" (dict "Values" (dict "x" 7))}}'),
      withSubchart(sub),
    );
    const out = render(chart);
    expect(out.get("mychart/templates/t.yaml")).toBe("top-name from-db 7");
    expect(out.get("mychart/charts/db/templates/t.yaml")).toBe("top-name");
  });

  it("within one chart the alphabetically first file's define wins, as in Helm", () => {
    const chart = buildChart(
      withTemplate("_a.tpl", '{{#define "x"}}from-a{{/define}}'),
      withTemplate("_b.tpl", '{{#define "x"}}from-b{{/define}}'),
      withTemplate("t.yaml", '{{include "x" this}}'),
    );
    expect(render(chart).get("mychart/templates/t.yaml")).toBe("from-a");
  });

  it("include returns a string for subexpressions and sees its own context", () => {
    const source = [
      '{{#define "labels"}}',
      "app: {{Values.name}}",
      "release: {{Release.Name}}",
      "{{~/define}}",
      "metadata:",
      '  labels:{{nindent 4 (include "labels" this)}}',
      '  upper: {{upper (include "labels" this)}}',
    ].join("\n");
    expect(renderOne(source, { name: "web" })).toBe(
      "metadata:\n  labels:\n    app: web\n    release: rel\n  upper: APP: WEB\nRELEASE: REL",
    );
  });

  it("lets a parent use a library chart's defines; the library renders nothing", () => {
    const lib = buildChart(
      withName("common"),
      withLibrary,
      withTemplate("_names.tpl", '{{#define "common.fullname"}}{{Release.Name}}-{{Chart.Name}}{{/define}}'),
      withTemplate("ignored.yaml", "{{fail \"libraries do not render\"}}"),
    );
    const chart = buildChart(withTemplate("t.yaml", 'name: {{include "common.fullname" this}}'), withSubchart(lib));
    expect([...render(chart)]).toEqual([["mychart/templates/t.yaml", "name: rel-mychart"]]);
  });

  it("tpl renders a value as a template with the given context", () => {
    const values = { host: "example.com", url: "https://{{Values.host}}/{{Release.Name}}" };
    expect(renderOne("{{tpl Values.url this}}", values)).toBe("https://example.com/rel");
  });

  it("tpl can use defines", () => {
    const source = '{{#define "greet"}}hi {{Values.who}}{{/define}}{{tpl "{{include \\"greet\\" this}}!" this}}';
    expect(renderOne(source, { who: "you" })).toBe("hi you!");
  });

  it("an unknown include names the template and line", () => {
    expect(() => renderOne('a\n{{include "nope" this}}')).toThrow('template: mychart/templates/t.yaml:2: include: no template "nope" is defined');
  });

  it("stops recursive includes", () => {
    const source = '{{#define "loop"}}{{include "loop" this}}{{/define}}{{include "loop" this}}';
    expect(() => renderOne(source)).toThrow(`include "loop": templates nest deeper than ${MAX_INCLUDE_DEPTH}`);
  });

  it("errors inside a define name the file holding the define", () => {
    const chart = buildChart(
      withTemplate("_helpers.tpl", '\n\n{{#define "bad"}}\n{{required "value x is required" Values.x}}\n{{/define}}'),
      withTemplate("t.yaml", '{{include "bad" this}}'),
    );
    expect(() => render(chart)).toThrow("template: mychart/templates/_helpers.tpl:4: value x is required");
  });

  it("errors inside tpl name the calling template", () => {
    expect(() => renderOne('{{tpl "x\\n{{fail \\"boom\\"}}" this}}')).toThrow("template: mychart/templates/t.yaml: tpl:2: boom");
  });

  it("rejects a define that is not at the top level", () => {
    expect(() => renderOne('{{#if true}}\n{{#define "x"}}y{{/define}}\n{{/if}}')).toThrow(
      "template: mychart/templates/t.yaml:2: define is only allowed at the top level of a file",
    );
  });
});

describe("NOTES.txt", () => {
  it("renders the top chart's NOTES and drops subcharts'", () => {
    const sub = buildChart(withName("db"), withTemplate("NOTES.txt", "db notes"));
    const chart = buildChart(withTemplate("NOTES.txt", "Installed {{Release.Name}}"), withSubchart(sub));
    const out = render(chart);
    expect(out.get("mychart/templates/NOTES.txt")).toBe("Installed rel");
    expect(out.has("mychart/charts/db/templates/NOTES.txt")).toBe(false);
  });
});

describe("template errors", () => {
  const cases: [string, string, string][] = [
    ["unknown helper", "a: 1\nb: {{frobnicate Values.x}}", 'template: mychart/templates/t.yaml:2: function "frobnicate" not defined'],
    ["unknown block helper", "{{#frob Values.x}}y{{/frob}}", 'template: mychart/templates/t.yaml:1: function "frob" not defined'],
    ["wrong argument count", "\n\n{{indent 2}}", "template: mychart/templates/t.yaml:3: wrong number of arguments for indent: want 2, got 1"],
    ["bad integer", '{{indent "x" "y"}}', 'template: mychart/templates/t.yaml:1: indent: count: expected an integer, got "x"'],
    ["unclosed block", "a\n{{#if x}}\nb", "template: mychart/templates/t.yaml:3: parse error: unexpected end of template (a block left open?)"],
    ["bad syntax", "a\n{{foo bar=}}", "template: mychart/templates/t.yaml:2: parse error: Expecting"],
    ["partials are not part of the dialect", "{{> other}}", "template: mychart/templates/t.yaml:1: PartialStatement is not supported"],
    ["mismatched block", "{{#if x}}\n{{/each}}", "template: mychart/templates/t.yaml:1: parse error: if doesn't match each"],
    ["define without a name", "{{#define}}x{{/define}}", "template: mychart/templates/t.yaml:1: define needs exactly one quoted name"],
  ];
  it.each(cases)("%s", (_what, source, message) => {
    expect(() => renderOne(source)).toThrow(message);
  });

  it("is a TemplateError with one line", () => {
    try {
      renderOne("{{#if x}}");
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ name: "TemplateError", code: "TEMPLATE" });
      expect(String((err as Error).message)).not.toContain("\n");
    }
  });
});
