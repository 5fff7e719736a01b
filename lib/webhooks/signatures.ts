// Inbound webhook signatures (issue 13): the receiver verifies before it parses or stores
// anything, and fails closed — a missing header, a malformed one, a wrong secret or a stale
// timestamp are all "not verified", with a reason for the delivery log (never the secret).
// Runtime-neutral: WebCrypto HMAC (constant-time by construction) and @octokit/webhooks-methods,
// whose browser build wrangler bundles for Workers.
import { verify as verifyGitHub } from "@octokit/webhooks-methods";

/** Who signs: GitHub (`X-Hub-Signature-256`), PagerDuty v3, or any sender using Imbi's scheme. */
export const WEBHOOK_PROVIDERS = ["github", "pagerduty", "generic"] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

/** How far a generic signature's timestamp may be from now, by default (the replay window). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface SignedDelivery {
  provider: WebhookProvider;
  /** The webhook's secret, decrypted. */
  secret: string;
  /** The raw body exactly as received (signatures are over bytes, not over parsed JSON). */
  body: string;
  headers: Headers;
  /** Seconds since the epoch; the clock of the request. */
  now: number;
  /** Generic scheme only: the accepted distance between `t` and `now`. */
  toleranceSeconds?: number;
}

export type Verification =
  | {
      ok: true /** The sender's delivery id, for idempotent redelivery, when it sends one. */;
      deliveryId?: string;
    }
  | { ok: false; reason: string };

const encoder = new TextEncoder();
const HEX = /^[0-9a-f]{64}$/;

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Whether any of `hexSignatures` is the HMAC-SHA-256 of `message` under `secret`. */
async function anyHmacMatches(secret: string, message: string, hexSignatures: string[]): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const data = encoder.encode(message);
  let matched = false;
  // Every candidate is checked (no early exit), so timing does not tell which one matched.
  for (const sig of hexSignatures)
    if (HEX.test(sig) && (await crypto.subtle.verify("HMAC", key, hexBytes(sig), data))) matched = true;
  return matched;
}

/** `a=1,b=2` → [["a","1"],["b","2"]] (repeated keys kept). */
function pairs(header: string): [string, string][] {
  return header
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const i = part.indexOf("=");
      return (i < 0 ? [part, ""] : [part.slice(0, i), part.slice(i + 1)]) as [string, string];
    });
}

/**
 * Verifies a delivery's signature for its provider:
 * - **github**: `X-Hub-Signature-256: sha256=<hex HMAC of the body>`; delivery id `X-GitHub-Delivery`.
 * - **pagerduty** (v3): `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]` — any `v1` token may match
 *   (PagerDuty sends one per active secret while a secret rotates); id `X-Webhook-Id`.
 * - **generic**: `X-Imbi-Signature: t=<unix seconds>,v1=<hex HMAC of "t.body">`; `t` must be within
 *   the tolerance of now (a captured delivery cannot be replayed later); id `X-Imbi-Delivery`.
 */
export async function verifyWebhookSignature(d: SignedDelivery): Promise<Verification> {
  if (!d.secret) return { ok: false, reason: "the webhook has no secret" };
  switch (d.provider) {
    case "github": {
      const sig = d.headers.get("x-hub-signature-256");
      if (!sig) return { ok: false, reason: "X-Hub-Signature-256 is missing" };
      if (!/^sha256=[0-9a-f]{64}$/.test(sig))
        return { ok: false, reason: "X-Hub-Signature-256 is malformed" };
      const ok = await verifyGitHub(d.secret, d.body, sig).catch(() => false);
      return ok
        ? { ok: true, deliveryId: d.headers.get("x-github-delivery") ?? undefined }
        : { ok: false, reason: "X-Hub-Signature-256 does not match" };
    }
    case "pagerduty": {
      const header = d.headers.get("x-pagerduty-signature");
      if (!header) return { ok: false, reason: "X-PagerDuty-Signature is missing" };
      const tokens = pairs(header)
        .filter(([k]) => k === "v1")
        .map(([, v]) => v.toLowerCase());
      if (tokens.length === 0) return { ok: false, reason: "X-PagerDuty-Signature has no v1 signature" };
      return (await anyHmacMatches(d.secret, d.body, tokens))
        ? { ok: true, deliveryId: d.headers.get("x-webhook-id") ?? undefined }
        : { ok: false, reason: "X-PagerDuty-Signature does not match" };
    }
    case "generic": {
      const header = d.headers.get("x-imbi-signature");
      if (!header) return { ok: false, reason: "X-Imbi-Signature is missing" };
      const fields = pairs(header);
      const t = fields.find(([k]) => k === "t")?.[1] ?? "";
      const v1 = fields.filter(([k]) => k === "v1").map(([, v]) => v.toLowerCase());
      if (!/^\d{1,12}$/.test(t) || v1.length === 0)
        return { ok: false, reason: "X-Imbi-Signature must be t=<unix seconds>,v1=<hex>" };
      const tolerance = d.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
      if (Math.abs(d.now - Number(t)) > tolerance)
        return { ok: false, reason: `X-Imbi-Signature's timestamp is outside the ${tolerance} s window` };
      return (await anyHmacMatches(d.secret, `${t}.${d.body}`, v1))
        ? { ok: true, deliveryId: d.headers.get("x-imbi-delivery") ?? undefined }
        : { ok: false, reason: "X-Imbi-Signature does not match" };
    }
  }
}

/** Signs a body with the generic scheme (for senders written in TypeScript, and for the tests). */
export async function signGeneric(secret: string, body: string, now: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${now}.${body}`)));
  return `t=${now},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
