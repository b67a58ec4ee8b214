// The Secrets release storage (DESIGN.md "Release records"), so any cluster keeps its own
// history. Talks to the cluster through SecretsApi, a narrow port the kube client adapter fills.
// Compare-and-swap: create fails when the Secret exists and replace carries the resourceVersion
// read, so the API server refuses a write that lost a race. Secret data is never logged.
import { NotFoundError } from "../../core/errors.js";
import type { Release } from "../model.js";
import { summarize, type ReleaseSummary } from "../summary.js";
import { decodeRelease, encodeRelease, OWNER_LABEL_VALUE, RECORD_PREFIX, recordAnnotations, recordLabels, recordName, SECRET_TYPE, summaryFromMetadata } from "./codec.js";
import { notFound } from "./memory.js";
import type { ListFilter, ReleaseRef, ReleaseStorage } from "./storage.js";

export interface SecretObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string };
  type?: string;
  /** Values base64-encoded, as the API serves them. */
  data?: Record<string, string>;
}

export type SecretMetadata = SecretObject["metadata"];

/** What the storage needs from a cluster. Errors: ConflictError on exists / stale resourceVersion. */
export interface SecretsApi {
  get(namespace: string, name: string): Promise<SecretObject | undefined>;
  /** namespace undefined: all namespaces. */
  list(namespace: string | undefined, labelSelector: string): Promise<SecretObject[]>;
  /** Only the metadata of the Secrets list() would return; undefined when the server cannot say. */
  listMetadata?(namespace: string | undefined, labelSelector: string): Promise<SecretMetadata[] | undefined>;
  create(secret: SecretObject): Promise<SecretObject>;
  replace(secret: SecretObject): Promise<SecretObject>;
  delete(namespace: string, name: string): Promise<void>;
}

export class SecretsReleaseStorage implements ReleaseStorage {
  constructor(private readonly api: SecretsApi) {}

  private toSecret(release: Release): SecretObject {
    // data.release holds base64(gzip(json)); the API's own base64 of Secret data wraps it once more.
    const payload = Buffer.from(encodeRelease(release), "utf8").toString("base64");
    return {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: recordName(release.name, release.version),
        namespace: release.namespace,
        labels: recordLabels(release),
        annotations: recordAnnotations(release),
        ...(release.storageVersion ? { resourceVersion: release.storageVersion } : {}),
      },
      type: SECRET_TYPE,
      data: { release: payload },
    };
  }

  private fromSecret(secret: SecretObject): Release {
    const where = `secret ${secret.metadata.namespace}/${secret.metadata.name}`;
    const payload = Buffer.from(secret.data?.release ?? "", "base64").toString("utf8");
    const release = decodeRelease(payload, where);
    // Labels are what `kubectl label` or a pruning tool change; the payload is authoritative
    // except for status, which Helm also keeps in the label so list can filter server-side.
    return { ...release, storageVersion: secret.metadata.resourceVersion };
  }

  async create(release: Release): Promise<Release> {
    const { storageVersion: _ignored, ...fresh } = release;
    return this.fromSecret(await this.api.create(this.toSecret(fresh)));
  }

  async update(release: Release): Promise<Release> {
    return this.fromSecret(await this.api.replace(this.toSecret(release)));
  }

  async get(ref: ReleaseRef, version: number): Promise<Release> {
    const secret = await this.api.get(ref.namespace, recordName(ref.name, version));
    if (!secret || secret.type !== SECRET_TYPE) throw notFound(ref, version);
    return this.fromSecret(secret);
  }

  async list(filter: ListFilter = {}): Promise<Release[]> {
    const secrets = await this.api.list(filter.namespace, `owner=${OWNER_LABEL_VALUE}${statusSelector(filter.statuses)}`);
    const releases = secrets.filter((s) => s.type === SECRET_TYPE).map((s) => this.fromSecret(s));
    return filter.statuses ? releases.filter((r) => filter.statuses?.includes(r.info.status)) : releases;
  }

  /**
   * From labels and annotations: a metadata-only list where the server serves one, so no payload
   * is fetched or decoded. Records written before the annotations existed are read in full.
   */
  async summaries(filter: ListFilter = {}): Promise<ReleaseSummary[]> {
    const selector = `owner=${OWNER_LABEL_VALUE}${statusSelector(filter.statuses)}`;
    const metadata = (await this.api.listMetadata?.(filter.namespace, selector))?.filter((m) => m.name.startsWith(RECORD_PREFIX));
    const summaries = metadata?.map((m) => summaryFromMetadata(m));
    if (summaries?.every((s) => s !== undefined)) return summaries.filter((s) => s !== undefined);
    const secrets = await this.api.list(filter.namespace, selector);
    return secrets.filter((s) => s.type === SECRET_TYPE).map((s) => summaryFromMetadata(s.metadata) ?? summarize(this.fromSecret(s)));
  }

  async history(ref: ReleaseRef): Promise<Release[]> {
    const secrets = await this.api.list(ref.namespace, `owner=${OWNER_LABEL_VALUE},name=${ref.name}`);
    return secrets
      .filter((s) => s.type === SECRET_TYPE)
      .map((s) => this.fromSecret(s))
      .sort((a, b) => a.version - b.version);
  }

  async delete(ref: ReleaseRef, version: number): Promise<Release> {
    const release = await this.get(ref, version);
    try {
      await this.api.delete(ref.namespace, recordName(ref.name, version));
    } catch (err) {
      if (err instanceof NotFoundError) throw notFound(ref, version);
      throw err;
    }
    return release;
  }
}

/** The status filter as a set-based label selector, so the server leaves the rest out. */
function statusSelector(statuses: ListFilter["statuses"]): string {
  return statuses && statuses.length > 0 ? `,status in (${statuses.join(",")})` : "";
}
