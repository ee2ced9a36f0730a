/**
 * IPv4 and IPv6 addresses and CIDR blocks for the IpAddress / NotIpAddress operators. An
 * address without a prefix length is a block of one. IPv4 and IPv6 never match each other.
 */

/** A parsed CIDR block: address family, network bits as a bigint, and prefix length. */
export interface Cidr {
  v6: boolean;
  bits: bigint;
  prefix: number;
}

/** Parses `10.0.0.0/8`, `192.0.2.1`, `2001:db8::/32` or `::1`; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const parsed = parseAddress(addr);
  if (!parsed) return undefined;
  const max = parsed.v6 ? 128 : 32;
  let prefix = max;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > max) return undefined;
  }
  return { v6: parsed.v6, bits: parsed.bits, prefix };
}

/** Parses an address alone (no prefix length); undefined when malformed. */
export function parseAddress(text: string): { v6: boolean; bits: bigint } | undefined {
  if (text.includes(':')) {
    const bits = parseV6(text);
    return bits === undefined ? undefined : { v6: true, bits };
  }
  const bits = parseV4(text);
  return bits === undefined ? undefined : { v6: false, bits };
}

/** Whether an address lies in a block. */
export function cidrContains(block: Cidr, addr: { v6: boolean; bits: bigint }): boolean {
  if (block.v6 !== addr.v6) return false;
  const width = block.v6 ? 128n : 32n;
  const shift = width - BigInt(block.prefix);
  return block.bits >> shift === addr.bits >> shift;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let bits = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bits = (bits << 8n) | BigInt(n);
  }
  return bits;
}

function parseV6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  // A split has a first part; a second where there are two.
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) counts as two groups.
  const expand = (gs: string[]): string[] | undefined => {
    const last = gs[gs.length - 1];
    if (last === undefined || !last.includes('.')) return gs;
    const v4 = parseV4(last);
    if (v4 === undefined) return undefined;
    return [...gs.slice(0, -1), ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16)];
  };
  const h = halves.length === 2 ? head : expand(head);
  const t = expand(tail);
  if (!h || !t) return undefined;
  const missing = 8 - h.length - t.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...h, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...t];
  let bits = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    bits = (bits << 16n) | BigInt(parseInt(g, 16));
  }
  return bits;
}
