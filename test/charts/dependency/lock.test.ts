import { describe, expect, it } from "vitest";
import { goJson, lockDigest, parseLockFile, serializeLock } from "../../../charts/dependency/lock.js";

describe("Chart.lock digest", () => {
  it("matches a digest Helm wrote (Chart.yaml dependency emqx 5.0.19 from https://repos.emqx.io/charts)", () => {
    const dep = { name: "emqx", version: "5.0.19", repository: "https://repos.emqx.io/charts" };
    expect(lockDigest([dep], [dep])).toBe("sha256:0dc6f298393f215d97ff643f421299f14f9fdd69ed31954544dc0c7ff1e3266c");
  });

  it("changes when Chart.yaml or the lock changes", () => {
    const req = [{ name: "a", version: "^1.0.0", repository: "https://x" }];
    const locked = [{ name: "a", version: "1.2.0", repository: "https://x" }];
    const base = lockDigest(req, locked);
    expect(lockDigest([{ ...req[0], version: "^1.1.0" }], locked)).not.toBe(base);
    expect(lockDigest(req, [{ ...locked[0], version: "1.3.0" }])).not.toBe(base);
    expect(lockDigest([{ ...req[0], condition: "a.enabled" }], locked)).not.toBe(base);
  });

  const escapes: [unknown, string][] = [
    [">=1.0.0 <2", '">=1.0.0 \\u003c2"'.replace(">", "\\u003e")],
    ["a&b", '"a\\u0026b"'],
    ["line\u2028sep", '"line\\u2028sep"'],
    [{ name: "x", "import-values": [{ child: "c", parent: "p" }] }, '{"name":"x","import-values":[{"child":"c","parent":"p"}]}'],
  ];
  it.each(escapes)("encodes %j as Go's encoding/json does", (value, expected) => {
    expect(goJson(value)).toBe(expected);
  });
});

describe("Chart.lock file", () => {
  it("writes Helm's layout and reads it back", () => {
    const lock = { generated: "2024-01-02T03:04:05.000Z", digest: "sha256:abc", dependencies: [{ name: "web", version: "1.0.0", repository: "https://x" }] };
    const text = serializeLock(lock);
    expect(text).toBe('dependencies:\n- name: web\n  repository: https://x\n  version: 1.0.0\ndigest: sha256:abc\ngenerated: "2024-01-02T03:04:05.000Z"\n');
    expect(parseLockFile(text, "Chart.lock")).toEqual(lock);
  });

  const bad: [string, RegExp][] = [
    ["dependencies: 3\ndigest: x\n", /Chart\.lock:1: dependencies: expected a list/],
    ["dependencies: []\n", /digest: expected a string/],
    ["dependencies: [3]\ndigest: x\n", /dependencies\[0\]: expected a map/],
    ["dependencies:\n- name: [1]\ndigest: x\n", /dependencies\[0\]\.name: expected a string/],
    ["[", /Chart\.lock/],
  ];
  it.each(bad)("refuses %j", (text, message) => {
    expect(() => parseLockFile(text, "Chart.lock")).toThrow(message);
  });
});
