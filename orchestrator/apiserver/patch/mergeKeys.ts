// Which lists of built-in kinds merge by key (strategic merge patch and server-side apply
// share this table); every other list is atomic and replaced whole.
const BY_FIELD: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  hostAliases: "ip",
  conditions: "type",
  ownerReferences: "uid",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};

/** Lists of scalars that merge as sets instead of being replaced. */
const SET_FIELDS = new Set(["finalizers"]);

/** `parents` are the field names from the root down to (not including) `field`. */
export function mergeKeyFor(parents: readonly string[], field: string): string | undefined {
  if (field === "ports") {
    const parent = parents[parents.length - 1];
    return parent === "containers" || parent === "initContainers" || parent === "ephemeralContainers" ? "containerPort" : "port";
  }
  return BY_FIELD[field];
}

export function isSetList(field: string): boolean {
  return SET_FIELDS.has(field);
}
