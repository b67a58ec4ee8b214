// Release storage: the interface, the in-memory implementation and the Secrets one.
export type { ListFilter, ReleaseRef, ReleaseStorage } from "./storage.js";
export { MemoryReleaseStorage } from "./memory.js";
export { SecretsReleaseStorage, type SecretMetadata, type SecretObject, type SecretsApi } from "./secrets.js";
export { decodeRelease, encodeRelease, recordName, ReleaseRecordError, SECRET_TYPE } from "./codec.js";
export { DEFAULT_HISTORY_MAX, pruneHistory, revisionsToPrune } from "./prune.js";
