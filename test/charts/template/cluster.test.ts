import { describe, expect, it } from "vitest";
import { renderChart } from "../../../charts/template/index.js";
import { buildChart, renderOne, renderOptions, withTemplate } from "./fixtures.js";

describe("semverCompare", () => {
  const cases: [string, string, boolean][] = [
    [">=1.20.0", "v1.30.0", true],
    [">=1.20.0", "1.19.9", false],
    [">=1.20-0", "v1.28.3-gke.100", true],
    [">=1.20.0", "v1.28.3-gke.100", false],
    ["^1.2.0", "1.9.0", true],
    ["^1.2.0", "2.0.0", false],
    ["~1.2", "1.2.9", true],
    ["~1.2", "1.3.0", false],
    [">= 1.2, < 2.0", "1.5.0", true],
    [">= 1.2, < 2.0", "2.0.0", false],
    ["<1.0 || >=3.0", "3.1.0", true],
    ["1.2.x", "1.2.7", true],
    ["1.2 - 1.4", "1.4.0", true],
    ["!=1.2.3", "1.2.3", false],
    ["1.16", "1.16.4", true],
  ];
  it.each(cases)("%s against %s is %s", (constraint, version, expected) => {
    expect(renderOne(`{{semverCompare "${constraint}" "${version}"}}`)).toBe(String(expected));
  });

  it("compares Capabilities.KubeVersion.Version", () => {
    expect(renderOne('{{#if (semverCompare ">=1.19-0" Capabilities.KubeVersion.Version)}}networking.k8s.io/v1{{/if}}')).toBe(
      "networking.k8s.io/v1",
    );
  });

  it("rejects an improper constraint", () => {
    expect(() => renderOne('{{semverCompare ">>1" "1.0.0"}}')).toThrow(/semverCompare: improper constraint: >>1/);
  });
});

describe("lookup", () => {
  it("is an empty map without a cluster", () => {
    expect(renderOne('{{len (lookup "v1" "Secret" "default" "s")}}')).toBe("0");
  });

  it("asks the LookupFn with Helm's argument order", () => {
    const chart = buildChart(withTemplate("t.yaml", '{{get (get (lookup "v1" "Secret" "ns1" "db") "data") "password"}}'));
    const seen: string[] = [];
    const out = renderChart(chart, {}, renderOptions({
      lookup: (apiVersion, kind, namespace, name) => {
        seen.push([apiVersion, kind, namespace, name].join("/"));
        return { data: { password: "c2VjcmV0" } };
      },
    }));
    expect(out.get("mychart/templates/t.yaml")).toBe("c2VjcmV0");
    expect(seen).toEqual(["v1/Secret/ns1/db"]);
  });
});
