// Pod IPs from each node's pod CIDR (a /24: .2 to .254; .1 is the node's bridge). The
// allocator is rebuilt from the pods' reported IPs when the kubelet starts, so a restart never
// hands out an address a running pod still holds.

export class PodIpAllocator {
  /** node → last octet → pod key */
  private readonly used = new Map<string, Map<number, string>>();
  private readonly byPod = new Map<string, { node: string; octet: number }>();

  /** The pod's address on its node: the one it holds, else the lowest free one. */
  assign(options: { node: string; cidr: string; podKey: string; current?: string }): string | undefined {
    const prefix = options.cidr.replace(/\.0\/24$/, "");
    const held = this.byPod.get(options.podKey);
    if (held && held.node === options.node) return `${prefix}.${held.octet}`;
    const onNode = this.used.get(options.node) ?? new Map<number, string>();
    this.used.set(options.node, onNode);
    const current = options.current?.startsWith(`${prefix}.`) ? Number(options.current.slice(prefix.length + 1)) : undefined;
    if (current !== undefined && current >= 2 && current <= 254 && !onNode.has(current)) return this.take(options, onNode, current, prefix);
    for (let octet = 2; octet <= 254; octet++) if (!onNode.has(octet)) return this.take(options, onNode, octet, prefix);
    return undefined;
  }

  private take(options: { node: string; podKey: string }, onNode: Map<number, string>, octet: number, prefix: string): string {
    this.release(options.podKey);
    onNode.set(octet, options.podKey);
    this.byPod.set(options.podKey, { node: options.node, octet });
    return `${prefix}.${octet}`;
  }

  release(podKey: string): void {
    const held = this.byPod.get(podKey);
    if (!held) return;
    this.byPod.delete(podKey);
    this.used.get(held.node)?.delete(held.octet);
  }
}
