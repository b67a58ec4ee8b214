// The binder's decisions as tables: what an unbound, pre-bound or bound claim needs next, and
// what a volume needs next when its claim is there, bound elsewhere or gone.
import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { decideClaim, decideVolume, NO_CLASS_MESSAGE, WAIT_FOR_CONSUMER_MESSAGE, type ClaimDecision } from "../../../orchestrator/storage/decide.js";
import { pv, pvc, storageClass } from "./fixture.js";

function view(volumes: V1PersistentVolume[], classes: V1StorageClass[] = []) {
  const byName = new Map(volumes.map((v) => [v.metadata?.name ?? "", v]));
  const classByName = new Map(classes.map((c) => [c.metadata?.name ?? "", c]));
  return { volumes, volume: (n: string) => byName.get(n), storageClass: (n: string) => classByName.get(n), node: () => undefined };
}

function summary(d: ClaimDecision): string {
  switch (d.action) {
    case "bind":
      return `bind ${d.volume.metadata?.name ?? ""}`;
    case "provision":
      return `provision ${d.storageClass.metadata?.name ?? ""}${d.node ? ` on ${d.node}` : ""}`;
    case "pending":
    case "lost":
      return `${d.action}${d.event ? ` ${d.event.reason}: ${d.event.message}` : ""}`;
    default:
      return d.action;
  }
}

const standard = storageClass("standard");
const late = storageClass("late", { mode: "WaitForFirstConsumer" });
const external = storageClass("ext", { provisioner: "ebs.csi.aws.com" });
const completed = { "pv.kubernetes.io/bind-completed": "yes" };

describe("decideClaim", () => {
  const cases: { name: string; claim: V1PersistentVolumeClaim; volumes?: V1PersistentVolume[]; classes?: V1StorageClass[]; want: string | RegExp }[] = [
    { name: "binds to a matching static volume", claim: pvc("c", { className: "" }), volumes: [pv("v1", { size: "5Gi" })], want: "bind v1" },
    { name: "no class, nothing fits", claim: pvc("c", { className: "", size: "10Gi" }), volumes: [pv("v1")], want: `pending FailedBinding: ${NO_CLASS_MESSAGE}` },
    { name: "unknown class", claim: pvc("c", { className: "fast" }), want: 'pending ProvisioningFailed: storageclass.storage.k8s.io "fast" not found' },
    { name: "class provisions", claim: pvc("c", { className: "standard" }), classes: [standard], want: "provision standard" },
    { name: "a static volume of the class beats provisioning", claim: pvc("c", { className: "standard" }), volumes: [pv("s", { className: "standard" })], classes: [standard], want: "bind s" },
    { name: "WaitForFirstConsumer waits for a node", claim: pvc("c", { className: "late" }), volumes: [pv("s", { className: "late" })], classes: [late], want: `pending WaitForFirstConsumer: ${WAIT_FOR_CONSUMER_MESSAGE}` },
    {
      name: "WaitForFirstConsumer with a selected node provisions there",
      claim: pvc("c", { className: "late", annotations: { "volume.kubernetes.io/selected-node": "node-2" } }),
      classes: [late],
      want: "provision late on node-2",
    },
    {
      name: "WaitForFirstConsumer binds a static volume on the selected node",
      claim: pvc("c", { className: "late", annotations: { "volume.kubernetes.io/selected-node": "node-2" } }),
      volumes: [pv("elsewhere", { className: "late", node: "node-1" }), pv("here", { className: "late", node: "node-2" })],
      classes: [late],
      want: "bind here",
    },
    { name: "external provisioner is waited for", claim: pvc("c", { className: "ext" }), classes: [external], want: /^pending ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com'/ },
    { name: "volumeName pre-binding to a free volume", claim: pvc("c", { volumeName: "v2" }), volumes: [pv("v1"), pv("v2", { size: "9Gi" })], want: "bind v2" },
    { name: "volumeName to a volume too small", claim: pvc("c", { volumeName: "v", size: "5Gi" }), volumes: [pv("v")], want: 'pending VolumeMismatch: Cannot bind to requested volume "v": requested PV is too small' },
    { name: "volumeName to a volume bound elsewhere", claim: pvc("c", { volumeName: "v" }), volumes: [pv("v", { claim: { name: "other", uid: "u9" } })], want: 'pending FailedBinding: volume "v" already bound to a different claim.' },
    { name: "volumeName to a missing volume waits", claim: pvc("c", { volumeName: "nope" }), want: "pending" },
    { name: "bound claim whose volume is gone is Lost", claim: pvc("c", { volumeName: "gone", annotations: completed }), want: "lost ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!" },
    { name: "bound claim, volume bound to another claim", claim: pvc("c", { volumeName: "v", annotations: completed }), volumes: [pv("v", { claim: { name: "x", uid: "ux" } })], want: "lost ClaimMisbound: Two claims are bound to the same volume, this one is bound incorrectly" },
    { name: "bound claim finishes both sides", claim: pvc("c", { volumeName: "v", annotations: completed }), volumes: [pv("v", { claim: { name: "c", uid: "uid-c" }, phase: "Bound" })], want: "bind v" },
  ];
  for (const c of cases) {
    it(c.name, () => expect(summary(decideClaim(c.claim, view(c.volumes ?? [], c.classes)))).toMatch(c.want));
  }
});

describe("decideVolume", () => {
  const claim = pvc("c", { volumeName: "v" });
  const byController = { "pv.kubernetes.io/bound-by-controller": "yes" };
  const provisioned = { ...byController, "pv.kubernetes.io/provisioned-by": "berth.dev/hostpath" };
  const ref = { name: "c", uid: "uid-c" };
  const cases: { name: string; volume: V1PersistentVolume; claim?: V1PersistentVolumeClaim; want: unknown }[] = [
    { name: "new volume becomes Available", volume: pv("v", { phase: "Pending" }), want: { action: "phase", phase: "Available" } },
    { name: "Available stays", volume: pv("v"), want: { action: "none" } },
    { name: "claimRef without uid (user pre-binding) stays Available", volume: pv("v", { phase: "Pending", claim: { name: "c" } }), want: { action: "phase", phase: "Available" } },
    { name: "claim bound to it: Bound", volume: pv("v", { claim: ref }), claim, want: { action: "phase", phase: "Bound" } },
    { name: "claim not yet pointing back: wait for the claim sync", volume: pv("v", { claim: ref }), claim: pvc("c"), want: { action: "none" } },
    { name: "claim gone: Released", volume: pv("v", { phase: "Bound", claim: ref }), want: { action: "phase", phase: "Released" } },
    { name: "claim recreated with another uid counts as gone", volume: pv("v", { phase: "Bound", claim: ref }), claim: pvc("c", { uid: "new", volumeName: "v" }), want: { action: "phase", phase: "Released" } },
    { name: "Released + Retain stays Released", volume: pv("v", { phase: "Released", claim: ref, policy: "Retain" }), want: { action: "none" } },
    { name: "Released + Delete, provisioned: delete", volume: pv("v", { phase: "Released", claim: ref, policy: "Delete", annotations: provisioned }), want: { action: "delete" } },
    { name: "Released + Delete, static: Failed", volume: pv("v", { phase: "Released", claim: ref, policy: "Delete" }), want: { action: "phase", phase: "Failed", message: 'error getting deleter volume plugin for volume "v": no deletable volume plugin matched' } },
    { name: "claim bound elsewhere, controller's binding: unbind", volume: pv("v", { phase: "Bound", claim: ref, annotations: byController }), claim: pvc("c", { volumeName: "w" }), want: { action: "unbind" } },
    { name: "claim bound elsewhere, user's binding: leave it", volume: pv("v", { phase: "Bound", claim: ref }), claim: pvc("c", { volumeName: "w" }), want: { action: "none" } },
  ];
  for (const c of cases) it(c.name, () => expect(decideVolume(c.volume, c.claim)).toEqual(c.want));
});
