// Readiness: `health(obj)` per kind (pure), `waitForReady(objects, { client, timeoutMs })`
// polling until all are Healthy (WaitError naming what is pending, and why, otherwise), and
// `createProgressReporter(process.stderr)` to show it.
export { health, needsEndpoints, type Health, type HealthContext, type HealthStatus } from "./health.js";
export { waitForReady, WaitError, type ResourceState, type WaitOptions } from "./wait.js";
export { createProgressReporter, type ProgressWriter } from "./progress.js";
