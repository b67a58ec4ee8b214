// The GitOps controller's live-object cache: once stopped it must never open a watch again
// (a reconcile finishing after shutdown did, and the leaked watch kept `quickstart --once`
// from exiting).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveIndex } from "../../controller/liveIndex.js";
import { startKube, type KubeFixture } from "../kube/fixture.js";

let kube: KubeFixture;
beforeAll(async () => {
  kube = await startKube();
});
afterAll(async () => {
  await kube.close();
});

const CM = { apiVersion: "v1", kind: "ConfigMap" };

describe("LiveIndex", () => {
  it("serves what it watches until stopped, then starts nothing new", async () => {
    const changed: string[] = [];
    const live = new LiveIndex({ client: kube.client(), onChange: (k) => changed.push(k) });
    expect(live.lookup(CM, "default", "x")).toEqual({ known: false });
    await live.ensure([CM]);
    expect(live.lookup(CM, "default", "x")).toEqual({ known: true, object: undefined });
    live.stop();
    expect(live.lookup(CM, "default", "x")).toEqual({ known: false });
    await expect(live.ensure([{ apiVersion: "v1", kind: "Secret" }])).rejects.toThrow(/stopped/);
    expect(await live.endpoints("default", "svc")).toEqual({ known: false });
    expect(live.lookup({ apiVersion: "v1", kind: "Secret" }, "default", "x")).toEqual({ known: false });
  });
});
