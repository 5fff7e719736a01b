// What the gateway reads out of a delivery before any rule runs (issue 13; the reference's
// gateway, docs/automations.md): the headers as rules and the delivery log see them (lower-case,
// secrets redacted), the event type and the project's external id from the webhook's selectors,
// and GitHub's deployment states in Imbi's vocabulary. Pure functions; runtime-neutral.
import jsonpatch from "fast-json-patch";

/**
 * Headers whose values never reach rules or the delivery log (only their presence): credentials
 * and signatures, as the reference redacts them.
 */
export const REDACTED_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "cookie",
  "set-cookie",
  "proxy-authorization",
  "x-hub-signature",
  "x-hub-signature-256",
  "x-gitlab-token",
  "x-pagerduty-signature",
  "x-sonar-webhook-hmac-sha256",
  "x-imbi-signature",
]);
export const REDACTED = "[redacted]";

/** The request's headers, lower-cased, with {@link REDACTED_HEADERS} replaced by a marker. */
export function visibleHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    out[key] = REDACTED_HEADERS.has(key) ? REDACTED : value;
  });
  return out;
}

/** The value at a JSON Pointer (RFC 6901), or undefined when the path does not exist or is invalid. */
export function atPointer(document: unknown, pointer: string): unknown {
  if (pointer === "") return document;
  if (!pointer.startsWith("/")) return undefined;
  try {
    return jsonpatch.getValueByPointer(document as object, pointer) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The event type by the webhook's selector: a JSON Pointer into the body when it starts with `/`,
 * else a header name (case-insensitive) — and when that header is absent, the selector itself
 * (a constant type for senders that send one kind of event).
 */
export function eventType(selector: string, headers: Record<string, string>, payload: unknown): string {
  if (selector.startsWith("/")) {
    const v = atPointer(payload, selector);
    return typeof v === "string" || typeof v === "number" ? String(v) : "";
  }
  return headers[selector.toLowerCase()] ?? selector;
}

/** The project's external id by the webhook's identifier selector (a JSON Pointer), as a string. */
export function externalIdentifier(selector: string, payload: unknown): string | undefined {
  const v = atPointer(payload, selector);
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

export type DeploymentStatus = "pending" | "in_progress" | "success" | "failed" | "rolled_back";

/**
 * GitHub's deployment states in Imbi's vocabulary (the reference's mapping): `inactive` means the
 * deployment was superseded, which Imbi records as rolled back; an unknown state is undefined
 * (the action skips the delivery rather than guess).
 */
export function githubDeploymentStatus(state: string): DeploymentStatus | undefined {
  switch (state.toLowerCase()) {
    case "queued":
    case "pending":
      return "pending";
    case "in_progress":
      return "in_progress";
    case "success":
      return "success";
    case "failure":
    case "error":
      return "failed";
    case "inactive":
      return "rolled_back";
    default:
      return undefined;
  }
}
