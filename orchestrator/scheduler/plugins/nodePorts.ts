// NodePorts: a host port (protocol, IP, port) can be used once per node; 0.0.0.0 claims the
// port on every IP, so it conflicts with any IP.
import { fails, type FilterPlugin, type HostPort, type NodeInfo } from "../types.js";
import { portKey } from "../entries.js";

export function portConflicts(wanted: readonly HostPort[], used: ReadonlySet<string>): boolean {
  for (const p of wanted) {
    if (used.has(portKey(p))) return true;
    if (p.hostIP === "0.0.0.0") {
      for (const key of used) {
        const [protocol, , port] = key.split("/");
        if (protocol === p.protocol && Number(port) === p.port) return true;
      }
    } else if (used.has(portKey({ ...p, hostIP: "0.0.0.0" }))) {
      return true;
    }
  }
  return false;
}

export const nodePortsFilter: FilterPlugin = {
  name: "NodePorts",
  prepare(pod) {
    return (node: NodeInfo) =>
      pod.hostPorts.length > 0 && portConflicts(pod.hostPorts, node.usedPorts) ? fails("node(s) didn't have free ports for the requested pod ports") : undefined;
  },
};
