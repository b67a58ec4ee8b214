// values.schema.json validation: draft-07 and 2020-12, every violation named by value path.
import { describe, expect, it } from "vitest";
import { SchemaError } from "../../../core/errors.js";
import { schemaViolations, validateValues } from "../../../charts/values/schema.js";
import { prepareValues } from "../../../charts/values/prepare.js";
import { buildChart } from "../fixtures/buildChart.js";

const draft07 = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["image"],
  properties: {
    image: {
      type: "object",
      required: ["repository"],
      properties: { repository: { type: "string" }, tag: { type: "string" } },
    },
    replicas: { type: "integer", minimum: 1 },
    pullPolicy: { enum: ["Always", "IfNotPresent"] },
    ports: { type: "array", items: { type: "integer" } },
    email: { type: "string", format: "email" },
  },
};

const draft2020 = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    // prefixItems exists only in 2020-12: under draft-07 rules this would not be checked.
    pair: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }] },
    strict: { type: "object", properties: { a: { type: "string" } }, unevaluatedProperties: false },
  },
};

describe("schemaViolations", () => {
  const cases: { name: string; schema: Record<string, unknown>; values: Record<string, unknown>; want: string[] }[] = [
    { name: "valid values", schema: draft07, values: { image: { repository: "nginx", tag: "1" }, replicas: 2 }, want: [] },
    {
      name: "wrong type",
      schema: draft07,
      values: { image: { repository: "nginx", tag: 3 } },
      want: ["image.tag: expected string, got number 3"],
    },
    { name: "missing required", schema: draft07, values: { image: {} }, want: ["image.repository: required value is missing"] },
    { name: "missing at the root", schema: draft07, values: {}, want: ["image: required value is missing"] },
    {
      name: "several violations at once",
      schema: draft07,
      values: { image: { repository: "r" }, replicas: 0, pullPolicy: "Never", ports: [80, "x"], email: "nope" },
      want: [
        "replicas: must be >= 1, got 0",
        'pullPolicy: must be one of ["Always","IfNotPresent"], got "Never"',
        'ports.1: expected integer, got string "x"',
        'email: must match format "email", got "nope"',
      ],
    },
    {
      name: "2020-12 prefixItems",
      schema: draft2020,
      values: { pair: ["a", "b"] },
      want: ['pair.1: expected integer, got string "b"'],
    },
    {
      name: "2020-12 unevaluatedProperties",
      schema: draft2020,
      values: { strict: { a: "x", b: 1 } },
      want: ["strict.b: additional property is not allowed"],
    },
    {
      name: "draft-04 read with draft-07 rules",
      schema: { $schema: "http://json-schema.org/draft-04/schema#", properties: { n: { type: "number" } } },
      values: { n: "1" },
      want: ['n: expected number, got string "1"'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const chart = buildChart({ name: "mychart", schema: c.schema });
      const lines = schemaViolations(chart, c.values).map((v) => `${v.path}: ${v.message}`);
      expect(lines).toEqual(c.want);
    });
  }
});

describe("validateValues", () => {
  it("throws one SchemaError in Helm's words naming chart and path", () => {
    const chart = buildChart({ name: "mychart", schema: draft07 });
    const run = (): void => validateValues(chart, { image: { repository: "nginx", tag: 3 } });
    expect(run).toThrow(SchemaError);
    expect(run).toThrow(
      "values don't meet the specifications of the schema(s) in the following chart(s):\nmychart: image.tag: expected string, got number 3",
    );
  });

  it("validates each subchart's schema against its own section, named by alias", () => {
    const sub = { name: "db", schema: { type: "object", properties: { port: { type: "integer" } } }, values: { port: 5432 } };
    const chart = buildChart({
      name: "parent",
      schema: { type: "object", properties: { name: { type: "string" } } },
      metadata: { dependencies: [{ name: "db", alias: "store" }] },
      dependencies: [sub],
    });
    let caught: unknown;
    try {
      prepareValues(chart, { name: 1, store: { port: "x" } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SchemaError);
    expect((caught as SchemaError).message.split("\n").slice(1)).toEqual([
      "parent: name: expected string, got number 1",
      'store: port: expected integer, got string "x"',
    ]);
  });

  it("skips the schema of a disabled subchart", () => {
    const chart = buildChart({
      name: "parent",
      metadata: { dependencies: [{ name: "db", condition: "db.enabled" }] },
      dependencies: [{ name: "db", schema: { required: ["password"] } }],
    });
    expect(() => prepareValues(chart, { db: { enabled: true } })).toThrow("db: password: required value is missing");
    expect(() => prepareValues(chart, { db: { enabled: false } })).not.toThrow();
  });

  it("reports an invalid schema as a SchemaError naming the chart", () => {
    const chart = buildChart({ name: "broken", schema: { type: "no-such-type" } });
    expect(() => validateValues(chart, {})).toThrow(/^broken: values.schema.json: invalid schema: /);
  });

  it("compiles a schema once and reuses it", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    const chart = buildChart({ schema });
    expect(schemaViolations(chart, { a: 1 })).toHaveLength(1);
    // Same schema object, different chart copy (as an alias makes): same verdicts.
    const copy = { ...chart, metadata: { ...chart.metadata, name: "other" } };
    expect(schemaViolations(copy, { a: 1 })).toEqual([{ chart: "other", path: "a", message: "expected string, got number 1" }]);
    expect(schemaViolations(copy, { a: "ok" })).toEqual([]);
    // An equal schema loaded again (a new object) gives the same verdicts.
    const reloaded = buildChart({ schema: structuredClone(schema) });
    expect(schemaViolations(reloaded, { a: 1 })).toHaveLength(1);
  });

  it("keeps validating correctly past the compiled-schema cache bound", () => {
    for (let i = 0; i < 140; i++) {
      const chart = buildChart({ schema: { type: "object", properties: { [`k${i}`]: { type: "integer" } } } });
      expect(schemaViolations(chart, { [`k${i}`]: "x" })).toHaveLength(1);
    }
  });
});
