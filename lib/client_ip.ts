import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * The proxies whose forwarding headers are believed (`IMBI_API_FORWARDED_ALLOW_IPS`), parsed once
 * when the configuration is validated. Immutable, so one instance serves every request.
 */
export class TrustedProxies {
  /** `*`: every peer is a proxy (the header's left-most address is taken, as uvicorn does). */
  readonly all: boolean;
  /** The entries as configured, for logs and the status of the setting. */
  readonly entries: readonly string[];
  private readonly ranges: readonly [Address, number][];

  constructor(all: boolean, entries: readonly string[], ranges: readonly [Address, number][]) {
    this.all = all;
    this.entries = Object.freeze([...entries]);
    this.ranges = Object.freeze([...ranges]);
  }

  /** True when nothing is trusted: forwarding headers are ignored. */
  get none(): boolean {
    return !this.all && this.ranges.length === 0;
  }

  /** Whether `ip` (a normalized address from {@link normalizeIp}) is a trusted proxy. */
  trusts(ip: string): boolean {
    if (this.all) return true;
    if (this.ranges.length === 0 || ip === "") return false;
    const addr = strictParse(ip);
    return (
      addr !== null && this.ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits))
    );
  }
}

/** Trusts nobody: the default, when `IMBI_API_FORWARDED_ALLOW_IPS` is empty. */
export const NO_TRUSTED_PROXIES = new TrustedProxies(false, [], []);

/**
 * Parses `IMBI_API_FORWARDED_ALLOW_IPS`: `*`, or a comma-separated list (or array) of IPv4/IPv6
 * addresses and CIDR ranges; IPv4-mapped IPv6 entries (`::ffff:10.0.0.1`) mean their IPv4 address.
 * Throws an Error naming every bad entry, so a typo fails boot instead of silently trusting nobody.
 */
export function parseTrustedProxies(value: string | readonly string[]): TrustedProxies {
  const entries = (typeof value === "string" ? value.split(",") : value).map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return NO_TRUSTED_PROXIES;
  if (entries.includes("*")) {
    if (entries.length > 1)
      throw new Error(`"*" trusts every address; it cannot be combined with other entries`);
    return new TrustedProxies(true, entries, []);
  }
  const ranges: [Address, number][] = [];
  const bad: string[] = [];
  for (const entry of entries) {
    const range = parseRange(entry);
    if (range) ranges.push(range);
    else bad.push(entry);
  }
  if (bad.length > 0)
    throw new Error(
      `not an IP address or CIDR range: ${bad.map((b) => JSON.stringify(b)).join(", ")} ` +
        `(expected e.g. "10.0.0.0/8, 192.0.2.7, 2001:db8::/32" or "*")`,
    );
  return new TrustedProxies(false, entries, ranges);
}

function parseRange(entry: string): [Address, number] | null {
  const [host = "", bits, ...rest] = entry.split("/");
  if (rest.length > 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return null;
  const addr = strictParse(host);
  if (!addr) return null;
  const max = addr.kind() === "ipv4" ? 32 : 128;
  if (bits === undefined) return [addr, max];
  // An IPv4-mapped range ("::ffff:10.0.0.0/104") is the IPv4 range it covers (10.0.0.0/8).
  const prefix = addr.kind() === "ipv4" && host.includes(":") ? Number(bits) - 96 : Number(bits);
  return prefix >= 0 && prefix <= max ? [addr, prefix] : null;
}

/**
 * Strict address parsing: dotted-quad IPv4 (ipaddr.js alone would also take "10.1" or hex forms
 * that no proxy writes) or IPv6 without a zone. IPv4-mapped IPv6 becomes the IPv4 address, so
 * `::ffff:192.0.2.1` from a dual-stack socket and `192.0.2.1` from a header are one client.
 */
function strictParse(text: string): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes("%") || !ipaddr.IPv6.isValid(text)) return null;
  const v6 = ipaddr.IPv6.parse(text);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/**
 * The canonical form of one address (`192.0.2.1`, RFC 5952 IPv6), or "" when `raw` is not one.
 * Accepts what sockets and forwarding headers carry: a port (`192.0.2.1:4711`), brackets
 * (`[2001:db8::1]:4711`), quotes (RFC 7239 `"[2001:db8::1]"`).
 */
export function normalizeIp(raw: string): string {
  let text = raw.trim();
  if (text.length > 64) return "";
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) text = text.slice(1, -1);
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  const addr = strictParse(text);
  if (!addr) return "";
  return addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

/**
 * The hops of `X-Forwarded-For` (or, when that header is absent, the `for=` parameters of RFC 7239
 * `Forwarded`), nearest-to-the-client first, as the raw strings; unparsable hops stay in place as
 * "" so the walk in {@link resolveClientIp} can stop at them.
 *
 * X-Forwarded-For wins because it is what nginx, HAProxy, Envoy, Traefik, Caddy, cloud load
 * balancers and Cloudflare maintain; a proxy that maintains only one header passes the other
 * through untouched, and then that one is entirely client-written. Parsing is per element and
 * lenient (not a whole-header parser that throws) because the elements a client wrote come first
 * and must not spoil the ones our proxies appended after them.
 */
export function forwardedChain(headers: Headers): string[] {
  const xff = headers.get("x-forwarded-for");
  if (xff !== null) return xff.split(",").map(normalizeIp);
  const fwd = headers.get("forwarded");
  if (fwd === null) return [];
  return splitOutsideQuotes(fwd, ",").map((element) => {
    for (const pair of splitOutsideQuotes(element, ";")) {
      const eq = pair.indexOf("=");
      if (eq > 0 && pair.slice(0, eq).trim().toLowerCase() === "for") return normalizeIp(pair.slice(eq + 1));
    }
    return "";
  });
}

function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== "\\") quoted = !quoted;
    else if (ch === sep && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * The client's address. `peer` is the address that connected to us (the Node socket, or Cloudflare's
 * `CF-Connecting-IP` on Workers). Only when the peer is a trusted proxy are forwarding headers
 * read: walking them from the right (the hop nearest to us), the first address that is not itself
 * a trusted proxy is the client. Everything left of it was written by that client and is ignored.
 * With `*` every hop is trusted and the left-most address is taken. An unparsable hop ends the
 * walk at the last good address, so garbage never becomes a rate-limit key.
 */
export function resolveClientIp(peer: string, headers: Headers, trusted: TrustedProxies): string {
  let client = normalizeIp(peer);
  if (trusted.none || !trusted.trusts(client)) return client;
  const chain = forwardedChain(headers);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i] ?? "";
    if (hop === "") break;
    client = hop;
    if (!trusted.trusts(hop)) break;
  }
  return client;
}
