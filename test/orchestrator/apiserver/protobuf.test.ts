// The protobuf decoder against bodies encoded here by hand, field by field, as Go writes them.
import { describe, expect, it } from "vitest";
import { decodeProtobuf } from "../../../orchestrator/apiserver/protobuf.js";
import { ApiError } from "../../../orchestrator/apiserver/errors.js";

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
}

const int = (no: number, v: number): number[] => [...varint((no << 3) | 0), ...varint(v)];
const bytes = (no: number, b: number[] | Buffer): number[] => [...varint((no << 3) | 2), ...varint(b.length), ...b];
const str = (no: number, s: string): number[] => bytes(no, Buffer.from(s));
const msg = (no: number, ...parts: number[][]): number[] => bytes(no, parts.flat());
const entry = (no: number, k: string, v: number[]): number[] => msg(no, str(1, k), v);

function envelope(apiVersion: string, kind: string, ...object: number[][]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...bytes(2, object.flat())]);
}

describe("decodeProtobuf", () => {
  it("decodes a Deployment: pointer zeros kept, plain zeros dropped, maps, quantities and int-or-strings", () => {
    const container = [str(1, "web"), str(2, "nginx"), str(13, ""), int(16, 0), msg(6, int(3, 80), str(4, "TCP")),
      msg(8, entry(1, "cpu", msg(2, str(1, "500m"))))].flat();
    const body = envelope("apps/v1", "Deployment",
      msg(1, str(1, "web"), entry(11, "app", str(2, "web")), msg(8)),
      msg(2, int(1, 0), msg(2, entry(1, "app", str(2, "web"))), msg(3, msg(1, entry(11, "app", str(2, "web"))), msg(2, bytes(2, container))),
        msg(4, str(1, "RollingUpdate"), msg(2, msg(1, int(1, 1), str(3, "30%")), msg(2, int(2, 2)))), int(5, 0)));
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80, protocol: "TCP" }], resources: { limits: { cpu: "500m" } } }] } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "30%", maxSurge: 2 } },
      },
    });
  });

  it("keeps empty strings inside lists (a ClusterRole's core API group) and decodes times", () => {
    const body = envelope("rbac.authorization.k8s.io/v1", "ClusterRole",
      msg(1, str(1, "reader"), msg(8, int(1, 1735689600))),
      msg(2, str(1, "get"), str(2, ""), str(3, "pods")));
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "reader", creationTimestamp: "2025-01-01T00:00:00Z" },
      rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
    });
  });

  it("answers 400 for a field the table does not know and 415 for an unknown kind", () => {
    const unknownField = envelope("v1", "ConfigMap", msg(1, str(1, "x")), str(99, "?"));
    expect(() => decodeProtobuf(unknownField)).toThrow(/ConfigMap has no field 99/);
    try {
      decodeProtobuf(envelope("example.com/v1", "Widget", msg(1, str(1, "x"))));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect(err instanceof ApiError && err.httpStatus).toBe(415);
    }
  });

  it("rejects a body without the k8s envelope and a truncated one", () => {
    expect(() => decodeProtobuf(Buffer.from("{}"))).toThrow(/envelope/);
    expect(() => decodeProtobuf(envelope("v1", "ConfigMap", msg(1, str(1, "x"))).subarray(0, 12))).toThrow(/truncated/);
  });
});

describe("decodeProtobuf inline structs", () => {
  it("flattens Go's inline embeddings (a volume's source, a key selector's reference)", () => {
    const volume = msg(1, str(1, "cfg"), msg(2, msg(19, msg(1, str(1, "settings")))));
    const env = msg(7, str(1, "X"), msg(3, msg(3, msg(1, str(1, "settings")), str(2, "key"))));
    const body = envelope("v1", "Pod", msg(1, str(1, "p")), msg(2, volume, msg(2, str(1, "c"), str(2, "nginx"), env)));
    expect(decodeProtobuf(body)).toMatchObject({
      spec: {
        volumes: [{ name: "cfg", configMap: { name: "settings" } }],
        containers: [{ name: "c", image: "nginx", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "settings", key: "key" } } }] }],
      },
    });
  });
});
