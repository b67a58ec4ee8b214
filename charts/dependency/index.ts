// Chart dependencies: `dependency update | build | list`, and Chart.lock.
export { updateDependencies, buildDependencies, readChartYaml, type DependencyOptions, type DependencyResult } from "./manager.js";
export { listDependencies, type DependencyListing, type DependencyStatus } from "./list.js";
export { lockDigest, parseLockFile, readLockFile, serializeLock, LOCK_FILE, type LockedDependency } from "./lock.js";
