// The Secrets release storage against a real built-in cluster: the same contract as memory,
// plus the Secret's shape as kubectl sees it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeClient } from "../../../kube/client/index.js";
import { kubeSecretsApi } from "../../../release/kubeSecrets.js";
import { SecretsReleaseStorage, decodeRelease } from "../../../release/storage/index.js";
import { startTestCluster, type TestCluster } from "../../helpers/cluster.js";
import { summarize } from "../../../release/summary.js";
import { buildRelease } from "../fixtures.js";
import { storageContract } from "./contract.js";

let c: TestCluster;
let n = 0;
beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c.stop();
});

// A namespace per test keeps the contract's "fresh storage" promise on one cluster.
async function freshStorage(): Promise<SecretsReleaseStorage> {
  const ns = `contract-${++n}`;
  await c.kubectlOk(["create", "namespace", ns]);
  current = ns;
  return new SecretsReleaseStorage(kubeSecretsApi(createKubeClient({ kubeconfig: c.kubeconfig })));
}
let current = "";

describe("Secrets storage", () => {
  it("stores a record as DESIGN.md says, readable with kubectl", async () => {
    const s = await freshStorage();
    await s.create(buildRelease({ name: "shape", namespace: current, version: 2, status: "superseded" }));
    const secret = JSON.parse(await c.kubectlOk(["get", "secret", "berth.release.v1.shape.v2", "-n", current, "-o", "json"])) as {
      type: string;
      metadata: { labels: Record<string, string> };
      data: { release: string };
    };
    expect(secret.type).toBe("berth.dev/release.v1");
    expect(secret.metadata.labels).toEqual({ owner: "berth", name: "shape", version: "2", status: "superseded" });
    const decoded = decodeRelease(Buffer.from(secret.data.release, "base64").toString("utf8"), "test");
    expect(decoded.info.status).toBe("superseded");
  });
});

describe("list summaries", () => {
  it("come from a metadata-only list; a record without the annotations is decoded instead", async () => {
    const s = await freshStorage();
    const api = kubeSecretsApi(createKubeClient({ kubeconfig: c.kubeconfig }));
    const fresh = buildRelease({ name: "fresh", namespace: current, status: "failed" });
    const old = buildRelease({ name: "old", namespace: current, version: 2 });
    await s.create(fresh);
    await s.create(old);
    const metadata = await api.listMetadata?.(current, "owner=berth");
    expect(metadata?.map((m) => m.annotations?.["berth.dev/chart"])).toEqual(["demo-0.1.0", "demo-0.1.0"]);
    expect(metadata?.some((m) => "data" in m)).toBe(false);
    expect(await s.summaries({ namespace: current })).toEqual([summarize(fresh), summarize(old)]);
    await c.kubectlOk(["annotate", "secret", "berth.release.v1.old.v2", "-n", current, "berth.dev/chart-"]);
    expect(await s.summaries({ namespace: current })).toEqual([summarize(fresh), summarize(old)]);
    expect((await s.summaries({ namespace: current, statuses: ["failed"] })).map((r) => r.name)).toEqual(["fresh"]);
  });
});

storageContract("secrets", freshStorage, () => current);
