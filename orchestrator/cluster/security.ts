// The built-in cluster's security at start: its PKI in the data dir, the static token file
// (DATA_DIR/tokens.csv, optional), the audit log (DATA_DIR/audit.log), the auth plugin for the
// API server, and client credentials for the admin kubeconfig and each component.
import { access } from "node:fs/promises";
import path from "node:path";
import type { Clock } from "../../core/clock.js";
import { FileAuditLog } from "../auth/audit.js";
import { loadTokenFile, type TokenEntry } from "../auth/authn/tokenFile.js";
import { ADMIN_IDENTITY } from "../auth/identities.js";
import { createAuthPlugin, type AuthPlugin } from "../auth/plugin.js";
import { issueClientCert, type Subject } from "../auth/pki/certs.js";
import { loadOrCreatePki, type ClusterPki } from "../auth/pki/files.js";
import { createRbacAuthorizer, registerAccessReviewRoutes, type RbacAuthorizer } from "../auth/rbac/index.js";
import type { ClusterCredentials } from "./kubeconfig.js";

export const TOKEN_FILE = "tokens.csv";
export const AUDIT_LOG = "audit.log";

export interface ClusterSecurity {
  pki: ClusterPki;
  plugin: AuthPlugin;
  audit: FileAuditLog;
  /** A fresh client certificate for `subject`, with the CA, for a kubeconfig. */
  credentialsFor(subject: Subject): Promise<ClusterCredentials>;
  adminCredentials(): Promise<ClusterCredentials>;
  /** Stops RBAC's watch and controllers and flushes the audit log; after the API server closed. */
  close(): Promise<void>;
}

async function optionalTokenFile(file: string): Promise<TokenEntry[]> {
  const present = await access(file).then(() => true, () => false);
  return present ? loadTokenFile(file) : [];
}

export async function prepareSecurity(options: { dataDir: string; clock: Clock }): Promise<ClusterSecurity> {
  const pki = await loadOrCreatePki(options.dataDir, { now: options.clock.now() });
  const tokenFile = await optionalTokenFile(path.join(options.dataDir, TOKEN_FILE));
  const audit = new FileAuditLog({ file: path.join(options.dataDir, AUDIT_LOG), clock: options.clock });
  let rbac: RbacAuthorizer | undefined;
  const plugin = createAuthPlugin({
    clock: options.clock,
    serviceAccountKeyPem: pki.serviceAccountKeyPem,
    tokenFile,
    audit,
    authorizer: (env) => (rbac = createRbacAuthorizer({ env, clock: options.clock, onError: (message) => process.stderr.write(`warning: ${message}\n`) })),
    routes: (app, { env, authorizer }) => registerAccessReviewRoutes(app, { env, authorizer }),
  });
  const credentialsFor = async (subject: Subject): Promise<ClusterCredentials> => {
    const pair = await issueClientCert(pki.ca, subject, { now: options.clock.now(), validDays: 365 });
    return { caPem: pki.ca.certPem, certPem: pair.certPem, keyPem: pair.keyPem };
  };
  const close = async (): Promise<void> => {
    await rbac?.close();
    await audit.flush();
  };
  return { pki, plugin, audit, credentialsFor, adminCredentials: () => credentialsFor(ADMIN_IDENTITY), close };
}
