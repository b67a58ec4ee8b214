// as=Table for the kinds beyond the workloads: kubectl's column names and cells.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./fixture.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

async function table(url: string, body: unknown): Promise<{ columns: string[]; cells: unknown[] }> {
  expect((await h.request("POST", url, { body })).status).toBe(201);
  const r = await h.request("GET", url, { accept: TABLE });
  const columns = (r.json.columnDefinitions as Array<{ name: string; priority: number }>).filter((c) => c.priority === 0).map((c) => c.name);
  const rows = r.json.rows as Array<{ cells: unknown[] }>;
  return { columns, cells: rows[0].cells.slice(0, columns.length) };
}

describe("Table columns", () => {
  it.each([
    ["/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "rb" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" }, subjects: [{ kind: "User", name: "alice" }] },
      ["Name", "Role", "Age"], ["rb", "Role/reader", "0s"]],
    ["/apis/rbac.authorization.k8s.io/v1/clusterroles",
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "cr" }, rules: [] },
      ["Name", "Created At"], ["cr", "2025-01-01T00:00:00Z"]],
    ["/apis/scheduling.k8s.io/v1/priorityclasses",
      { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000, preemptionPolicy: "Never" },
      ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"], ["high", 1000, false, "0s", "Never"]],
    ["/api/v1/namespaces/default/resourcequotas",
      { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard: { pods: "2", "limits.cpu": "1" } } },
      ["Name", "Age", "Request", "Limit"], ["q", "0s", "pods: 0/2", "limits.cpu: 0/1"]],
    ["/apis/networking.k8s.io/v1/namespaces/default/ingresses",
      { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "site" }, spec: { rules: [{ host: "example.com" }] } },
      ["Name", "Class", "Hosts", "Address", "Ports", "Age"], ["site", "<none>", "example.com", "", "80", "0s"]],
    ["/api/v1/namespaces/default/serviceaccounts",
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot" } },
      ["Name", "Secrets", "Age"], ["robot", 0, "0s"]],
  ])("%s", async (url, body, columns, cells) => {
    const t = await table(url, body);
    expect(t.columns).toEqual(columns);
    expect(t.cells).toEqual(cells);
  });
});
