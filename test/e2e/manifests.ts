// Manifests the end-to-end suites apply with `kubectl apply -f -`, built with options.

export interface JobOptions {
  /** Extra lines under the Job's spec (before its template), e.g. "completions: 2\nparallelism: 2". */
  spec?: string;
  /** The pod template's annotations (the simulated kubelet's berth.dev/sim-* knobs). */
  annotations?: Record<string, string>;
  /** The one container's name. Default "main". */
  containerName?: string;
}

/** A batch/v1 Job whose pods (restartPolicy Never) run one busybox container. */
export function jobYaml(name: string, o: JobOptions = {}): string {
  return `apiVersion: batch/v1
kind: Job
metadata: { name: ${name} }
spec:
${(o.spec ?? "").replace(/^/gm, "  ")}
  template:
    metadata: { annotations: ${JSON.stringify(o.annotations ?? {})} }
    spec:
      restartPolicy: Never
      containers: [{ name: ${o.containerName ?? "main"}, image: busybox }]
`;
}
