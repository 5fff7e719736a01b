// The public receiver of inbound webhooks (issue 13; ADR 0014): `POST /webhooks/{id}`. No bearer
// token — the signature is the authentication — so the order is strict: find the webhook, check
// the size, verify the signature over the raw bytes (fail closed), and only then parse, store and
// acknowledge. The rules run later, off the request (the queue), so a slow action never makes the
// sender time out; a redelivery of a delivery id already stored is acknowledged and not rerun.
import { openSecret } from "../auth/secret_box.ts";
import { enforceRateLimit } from "../core/rate_limit.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import type { Services } from "../services.ts";
import { unsafeTextReason } from "../text.ts";
import { eventType, visibleHeaders } from "./delivery.ts";
import { insertReceipt, newReceiptId, webhookForReceiver } from "./inbound.ts";
import { processSoon } from "./process.ts";
import { verifyWebhookSignature } from "./signatures.ts";

/** What the receiver answers (202). */
export interface ReceivedDelivery {
  /** Imbi's id of the stored delivery (the delivery log's). */
  delivery: string;
  /** True when the sender's delivery id was already received: nothing was stored or run again. */
  duplicate: boolean;
}

/** The message a Cloudflare queue carries: the stored deliveries to process. */
export interface WebhookQueueMessage {
  receipts: string[];
}

/**
 * Hands stored deliveries to the queue: the WEBHOOK_QUEUE binding on Workers (its consumer is this
 * Worker's queue()), else the in-process queue (processing after the response). Whatever happens
 * here, the stored row is due, and the sweeps (the Node timer, the Worker's cron) take it.
 */
export async function enqueueReceipts(s: Services, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const queue = s.env.WEBHOOK_QUEUE;
  if (queue) {
    try {
      await queue.send({ receipts: ids } satisfies WebhookQueueMessage);
      return;
    } catch (e) {
      s.log.warn("webhook queue unreachable; processing in the request", {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  processSoon(s);
}

/** Text read from a body may hold what Postgres cannot keep (NUL, lone surrogates): then unknown. */
const storableOrEmpty = (s: string) => (unsafeTextReason(s) ? "" : s);

const unknownWebhook = () =>
  new DomainError("NOT_FOUND", "No active webhook at this URL; check the URL the sender posts to.");

/** Verifies, stores and queues one delivery; 4xx (and nothing stored) for anything unverified. */
export const receiveWebhook = defineVerb({
  name: "receiveWebhook",
  access: { scope: "public" },
  async run(ctx, input: { webhook: string; headers: Headers; body: string }): Promise<ReceivedDelivery> {
    const s = ctx.services;
    const webhook = /^whk_[A-Za-z0-9]{21}$/.test(input.webhook)
      ? await webhookForReceiver(s.sql, input.webhook)
      : undefined;
    if (!webhook?.active) throw unknownWebhook();
    const size = new TextEncoder().encode(input.body).length;
    if (size > s.env.IMBI_WEBHOOKS_MAX_BODY_BYTES)
      throw new DomainError(
        "PAYLOAD_TOO_LARGE",
        `The body is ${size} bytes; this webhook accepts at most ${s.env.IMBI_WEBHOOKS_MAX_BODY_BYTES} (IMBI_WEBHOOKS_MAX_BODY_BYTES).`,
      );
    let secret: string;
    try {
      secret = await openSecret(s.env, "inbound-webhook", webhook.secret_enc);
    } catch {
      // The encryption key changed: nothing can be verified until the secret is rotated.
      throw new DomainError(
        "UNAUTHENTICATED",
        "The webhook's secret cannot be read on this server (was IMBI_AUTH_ENCRYPTION_KEY changed?); rotate the secret.",
      );
    }
    const verified = await verifyWebhookSignature({
      provider: webhook.provider,
      secret,
      body: input.body,
      headers: input.headers,
      now: Math.floor(ctx.now().getTime() / 1000),
      toleranceSeconds: s.env.IMBI_WEBHOOKS_SIGNATURE_TOLERANCE_SECONDS,
    });
    if (!verified.ok)
      throw new DomainError("UNAUTHENTICATED", `The delivery's signature is not valid: ${verified.reason}.`);
    // After verification: forged deliveries must not spend the sender's budget.
    await enforceRateLimit(
      s,
      `webhook:${webhook.id}`,
      s.env.IMBI_WEBHOOKS_RATE_LIMIT,
      (wait) => `Too many deliveries to this webhook; retry in ${wait} s.`,
    );
    let payload: unknown;
    try {
      payload = JSON.parse(input.body);
    } catch {
      throw new DomainError(
        "UNPROCESSABLE",
        "The body is not JSON; configure the sender to post application/json (GitHub: Content type application/json).",
      );
    }
    const headers = visibleHeaders(input.headers);
    const stored = await insertReceipt(s.sql, {
      id: newReceiptId(),
      webhookId: webhook.id,
      externalId: verified.deliveryId?.slice(0, 256) ?? null,
      eventType: storableOrEmpty(eventType(webhook.event_type_selector, headers, payload).slice(0, 256)),
      headers: JSON.stringify(headers),
      body: input.body,
    });
    if (!stored.duplicate) await enqueueReceipts(s, [stored.id]);
    return { delivery: stored.id, duplicate: stored.duplicate };
  },
});
