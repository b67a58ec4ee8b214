// The identities berth's own components authenticate as (client certificates issued from the
// cluster CA at start), named as in Kubernetes so the default RBAC roles and bindings
// (system:node, system:kube-scheduler, system:kube-controller-manager) apply to them.
import type { Subject } from "./pki/certs.js";

export const ADMIN_IDENTITY: Subject = { commonName: "berth-admin", organizations: ["system:masters"] };

/** One kubelet component runs every simulated node, so it holds one node identity. */
export const KUBELET_IDENTITY: Subject = { commonName: "system:node:berth-kubelet", organizations: ["system:nodes"] };
export const SCHEDULER_IDENTITY: Subject = { commonName: "system:kube-scheduler" };
export const CONTROLLER_MANAGER_IDENTITY: Subject = { commonName: "system:kube-controller-manager" };
/** The GitOps controller (controller/), when it runs next to the built-in cluster. */
export const GITOPS_CONTROLLER_IDENTITY: Subject = { commonName: "system:berth:gitops-controller", organizations: ["system:berth:controllers"] };
