import { describe, expect, it } from "vitest";
import { formatManifests, sortForInstall, sortForUninstall, sortHooks, splitManifests, type Manifest } from "../../../charts/manifest/index.js";

function manifest(kind: string, source: string, name = kind.toLowerCase(), weight?: number): Manifest {
  const m: Manifest = { source, kind, name, apiVersion: "v1", object: {}, content: `kind: ${kind}\nname: ${name}` };
  if (weight !== undefined) m.hook = { events: ["pre-install"], weight, deletePolicies: [] };
  return m;
}

const mixed = [
  manifest("Deployment", "c/templates/deploy.yaml"),
  manifest("Widget", "c/templates/a.yaml"),
  manifest("Service", "c/templates/svc.yaml"),
  manifest("Gadget", "c/templates/z.yaml"),
  manifest("Namespace", "c/templates/ns.yaml"),
  manifest("ConfigMap", "c/templates/b.yaml", "second"),
  manifest("ConfigMap", "c/templates/a.yaml", "first"),
  manifest("ConfigMap", "c/templates/b.yaml", "third"),
  manifest("ServiceAccount", "c/templates/sa.yaml"),
  manifest("CustomResourceDefinition", "c/templates/crd.yaml"),
  manifest("IngressClass", "c/templates/ic.yaml"),
  manifest("Ingress", "c/templates/ing.yaml"),
  manifest("PriorityClass", "c/templates/pc.yaml"),
];

describe("kind order", () => {
  it("installs in Helm's order, unknown kinds last by kind, stable within a template", () => {
    expect(sortForInstall(mixed).map((m) => `${m.kind}/${m.name}`)).toEqual([
      "PriorityClass/priorityclass",
      "Namespace/namespace",
      "ServiceAccount/serviceaccount",
      "ConfigMap/first",
      "ConfigMap/second",
      "ConfigMap/third",
      "CustomResourceDefinition/customresourcedefinition",
      "Service/service",
      "Deployment/deployment",
      "IngressClass/ingressclass",
      "Ingress/ingress",
      "Gadget/gadget",
      "Widget/widget",
    ]);
  });

  it("uninstalls in Helm's uninstall order", () => {
    expect(sortForUninstall(mixed).map((m) => m.kind)).toEqual([
      "Ingress",
      "IngressClass",
      "Service",
      "Deployment",
      "CustomResourceDefinition",
      "ConfigMap",
      "ConfigMap",
      "ConfigMap",
      "ServiceAccount",
      "Namespace",
      "PriorityClass",
      "Gadget",
      "Widget",
    ]);
  });

  it("does not change its input", () => {
    const copy = [...mixed];
    sortForInstall(mixed);
    expect(mixed).toEqual(copy);
  });

  it("orders hooks by weight, then name", () => {
    const hooks = [manifest("Job", "c/t/j.yaml", "b", 5), manifest("Job", "c/t/j.yaml", "a", 5), manifest("ConfigMap", "c/t/c.yaml", "z", -1)];
    expect(sortHooks(hooks).map((h) => h.name)).toEqual(["z", "a", "b"]);
  });
});

describe("formatManifests", () => {
  it("prints helm template's layout, hooks after manifests", () => {
    const { manifests, hooks } = splitManifests(
      new Map([
        ["c/templates/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"],
        ["c/templates/cm.yaml", "# leading comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n"],
        ["c/templates/hook.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n"],
      ]),
    );
    expect(formatManifests(sortForInstall(manifests), { hooks })).toBe(
      [
        "---",
        "# Source: c/templates/cm.yaml",
        "# leading comment",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: m",
        "---",
        "# Source: c/templates/svc.yaml",
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: s",
        "---",
        "# Source: c/templates/hook.yaml",
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: t",
        "  annotations:",
        "    helm.sh/hook: test",
        "",
      ].join("\n"),
    );
  });
});
