// The Application CRD, registered idempotently (server-side apply) by the controller at start
// and by `berth app create`, so kubectl lists apps with their sync and health.
import { applyManifests } from "../../kube/apply/index.js";
import type { KubeClient, Unstructured } from "../../kube/client/index.js";
import { SPEC_SCHEMA } from "./schema.js";
import { GROUP, KIND, PLURAL, VERSION } from "./types.js";

const PRESERVE = { type: "object", "x-kubernetes-preserve-unknown-fields": true } as const;

export function applicationCrd(): Unstructured {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: { plural: PLURAL, singular: "application", kind: KIND, listKind: `${KIND}List`, shortNames: ["app", "apps"] },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: "object", properties: { spec: SPEC_SCHEMA, status: PRESERVE, operation: PRESERVE } } },
          additionalPrinterColumns: [
            { name: "Sync", type: "string", jsonPath: ".status.sync.status" },
            { name: "Health", type: "string", jsonPath: ".status.health.status" },
            { name: "Revision", type: "string", jsonPath: ".status.sync.revision" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
        },
      ],
    },
  };
}

/** Registers (or updates) the CRD and waits until it is Established. */
export async function ensureApplicationCrd(client: KubeClient): Promise<void> {
  await applyManifests([applicationCrd()], { client, fieldManager: "berth-controller", force: true });
}
