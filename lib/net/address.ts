import ipaddr from "ipaddr.js";
import { DomainError } from "../errors.ts";

// Which outbound targets Imbi may call (SSRF defence for webhook subscriptions). A URL is checked
// when a subscription is saved and again before every delivery; on Node the addresses a host name
// resolves to are checked again at connect time (./node_transport.ts), so a DNS answer that changes
// between the check and the connection (rebinding) cannot reach an internal address.

/** Whether an IP address is a public unicast one (ipaddr.js's special ranges all are not). */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  // process() unwraps IPv4-mapped IPv6 (::ffff:10.0.0.1), which would otherwise pass as IPv6 unicast.
  return ipaddr.process(ip).range() === "unicast";
}

/** Whether an IP address is a loopback one (127/8, ::1, and IPv4-mapped loopback). */
export function isLoopbackAddress(ip: string): boolean {
  return ipaddr.isValid(ip) && ipaddr.process(ip).range() === "loopback";
}

// Names that resolve inside a network by convention; refused without a DNS lookup (Workers has none).
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/i;

/** The host of a URL without IPv6 brackets; `literal` when it is an IP address. */
function hostOf(url: URL): { host: string; literal: boolean } {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return { host, literal: ipaddr.isValid(host) };
}

/** Why a target is refused, or null when it may be called. */
export function targetProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry credentials (user:password@)";
  const { host, literal } = hostOf(url);
  const loopback = literal ? isLoopbackAddress(host) : /^localhost$|\.localhost$/i.test(host);
  if (url.protocol === "http:") {
    if (!allowPrivate || !loopback)
      return "must use https (plain http is allowed only to loopback with IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS)";
  } else if (url.protocol !== "https:") return "must use https";
  if (allowPrivate) return null;
  if (literal && !isPublicAddress(host))
    return `points to a non-public address (${host}): private, loopback, link-local and reserved ranges are refused`;
  if (!literal && (INTERNAL_NAME.test(host) || !host.includes(".")))
    return `names an internal host (${host}); use a public DNS name`;
  return null;
}

/** The error a refused target answers with: a 400 naming the field. */
export function targetRefused(field: string, problem: string): DomainError {
  return new DomainError("VALIDATION_FAILED", `The webhook URL ${problem}.`, [
    { location: `json.${field}`, message: problem },
  ]);
}

/** Why any of a host's resolved addresses is refused, or null when all are public. */
export function resolvedProblem(host: string, addresses: readonly string[]): string | null {
  const bad = addresses.find((a) => !isPublicAddress(a));
  return bad === undefined
    ? null
    : `resolves to a non-public address (${host} → ${bad}): private, loopback, link-local and reserved ranges are refused`;
}
