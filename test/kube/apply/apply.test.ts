import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError } from "../../../core/errors.js";
import type { KubeClient, Unstructured } from "../../../kube/client/index.js";
import { applyManifests, FieldConflictError, planDiff, pruneObjects } from "../../../kube/apply/index.js";
import { startKube, type KubeFixture } from "../fixture.js";

let kube: KubeFixture;
let client: KubeClient;

beforeAll(async () => {
  kube = await startKube();
  client = kube.client();
});
afterAll(() => kube.close());

const configMap = (ns: string, name: string, data: Record<string, string>): Unstructured => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data });
const service = (ns: string, name: string): Unstructured => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: ns },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
});
const namespace = (name: string): Unstructured => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const actions = (rs: { ref: { kind: string; name: string }; action: string }[]) => rs.map((r) => `${r.action} ${r.ref.kind}/${r.ref.name}`);

describe("applyManifests", () => {
  it("applies in install order, then reports unchanged without writing, then configured", async () => {
    const objects = [service("app1", "web"), configMap("app1", "cfg", { a: "1" }), namespace("app1")];
    expect(actions(await applyManifests(objects, { client }))).toEqual(["created Namespace/app1", "created ConfigMap/cfg", "created Service/web"]);
    const writesBefore = client.transport.requestCounts().writes;
    expect(actions(await applyManifests(objects, { client }))).toEqual(["unchanged Namespace/app1", "unchanged ConfigMap/cfg", "unchanged Service/web"]);
    expect(client.transport.requestCounts().writes).toBe(writesBefore);
    const changed = await applyManifests([namespace("app1"), configMap("app1", "cfg", { a: "2" }), service("app1", "web")], { client, diff: true });
    expect(actions(changed)).toEqual(["unchanged Namespace/app1", "configured ConfigMap/cfg", "unchanged Service/web"]);
    expect(changed[1].diff).toContain('-  a: "1"');
    expect(changed[1].diff).toContain('+  a: "2"');
  });

  it("removes a field the previous apply set and the new one drops", async () => {
    await applyManifests([namespace("app2"), configMap("app2", "cfg", { a: "1", b: "2" })], { client });
    const r = await applyManifests([configMap("app2", "cfg", { a: "1" })], { client });
    expect(r[0].action).toBe("configured");
    expect((await client.get({ apiVersion: "v1", kind: "ConfigMap", name: "cfg", namespace: "app2" })).data).toEqual({ a: "1" });
  });

  it("puts namespaced objects without a namespace in the default one given", async () => {
    await applyManifests([namespace("app3")], { client });
    const r = await applyManifests([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nons" }, data: {} }], { client, namespace: "app3" });
    expect(r[0].ref.namespace).toBe("app3");
  });

  it("reports a conflict with another field manager by field and manager, and takes it with force", async () => {
    await applyManifests([namespace("app4"), configMap("app4", "shared", { owner: "berth" })], { client });
    await client.apply(configMap("app4", "shared", { owner: "kubectl" }), { fieldManager: "kubectl", force: true });
    const err = await applyManifests([configMap("app4", "shared", { owner: "berth" })], { client }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FieldConflictError);
    expect(err).toBeInstanceOf(ConflictError);
    expect(String((err as Error).message)).toMatch(/apply ConfigMap\/shared -n app4: conflict on field \.data\.owner \(owned by "kubectl"\)/);
    const forced = await applyManifests([configMap("app4", "shared", { owner: "berth" })], { client, force: true });
    expect(forced[0].action).toBe("configured");
  });

  it.each(["client", "server"] as const)("dry run %s leaves nothing behind", async (dryRun) => {
    const ns = `dry-${dryRun}`;
    const r = await applyManifests([namespace(ns), configMap(ns, "cfg", { a: "1" })], { client, dryRun });
    expect(actions(r)).toEqual([`created Namespace/${ns}`, "created ConfigMap/cfg"]);
    expect(await client.tryGet({ apiVersion: "v1", kind: "Namespace", name: ns })).toBeUndefined();
  });

  it("installs a CRD, waits for it, then applies its custom resources", async () => {
    const crd: Unstructured = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "gadgets.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
      },
    };
    const cr: Unstructured = { apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g1", namespace: "default" }, spec: { size: 1 } };
    const dry = await applyManifests([cr, crd], { client, dryRun: "server" });
    expect(dry.map((r) => r.action)).toEqual(["created", "created"]);
    expect(dry[1].message).toMatch(/not installed yet/);
    const r = await applyManifests([cr, crd], { client });
    expect(actions(r)).toEqual(["created CustomResourceDefinition/gadgets.example.com", "created Gadget/g1"]);
  });
});

describe("pruneObjects", () => {
  it("deletes what the previous set had and the new one does not, and nothing else", async () => {
    const v1 = [namespace("prune"), configMap("prune", "keep", { a: "1" }), configMap("prune", "drop", { a: "1" }), service("prune", "gone")];
    await applyManifests(v1, { client });
    await client.apply(configMap("prune", "not-ours", { a: "1" }), { fieldManager: "someone-else" });
    const v2 = [namespace("prune"), configMap("prune", "keep", { a: "2" })];
    await applyManifests(v2, { client });
    const pruned = await pruneObjects(v1, v2, { client });
    expect(actions(pruned)).toEqual(["pruned Service/gone", "pruned ConfigMap/drop"]);
    const left = await client.list({ apiVersion: "v1", kind: "ConfigMap" }, { namespace: "prune" });
    expect(left.items.map((o) => o.metadata.name).sort()).toEqual(["keep", "not-ours"]);
    expect(await pruneObjects(v1, v2, { client })).toEqual([]);
  });
});

describe("planDiff", () => {
  it("shows only what would change, not server defaults", async () => {
    await applyManifests([namespace("plan"), service("plan", "svc")], { client });
    expect((await planDiff(service("plan", "svc"), { client })).diff).toBe("");
    const changed = { ...service("plan", "svc"), spec: { selector: { app: "svc" }, ports: [{ port: 80, targetPort: 9090 }] } };
    const { diff } = await planDiff(changed, { client });
    expect(diff).toMatch(/^- +targetPort: 8080$/m);
    expect(diff).toMatch(/^\+ +targetPort: 9090$/m);
    expect(diff).not.toMatch(/clusterIP/);
  });
});
