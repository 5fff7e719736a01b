import { Webhook } from "standardwebhooks";
import { openSecret } from "../auth/secret_box.ts";
import type { Services } from "../services.ts";
import { VERSION } from "../version.ts";
import { sealedSecrets } from "./subscriptions.ts";

// The dispatcher of outbound webhooks: claims due deliveries, signs them (Standard Webhooks) and
// POSTs them through the services' SSRF-safe transport, then records the outcome. The delivery
// table is the queue (schema/sql/0008 says why it is SQL): a claim is a lease, so a crashed
// process's claims come back; a project's deliveries go out one at a time in their order, because
// a delivery is claimable only when no earlier one of its subscription and project is pending.
// Runs after the request that queued events (`dispatchSoon`), on the Node host's timer and on the
// Worker's cron, all at once if they like: `FOR UPDATE SKIP LOCKED` keeps them apart.

/** A claimed delivery. */
interface Claimed {
  id: string;
  subscription_id: string;
  url: string;
  payload: string;
  attempts: number;
}

/** What one {@link dispatchDue} call did. */
export interface DispatchResult {
  delivered: number;
  failed: number;
  dead: number;
}

/** The wait before the next attempt after `attempts` failed ones: doubling from the base, capped. */
export function backoffSeconds(
  env: Pick<Services["env"], "IMBI_WEBHOOKS_RETRY_BASE_SECONDS" | "IMBI_WEBHOOKS_RETRY_MAX_SECONDS">,
  attempts: number,
): number {
  const wait = env.IMBI_WEBHOOKS_RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1);
  return Math.min(wait, env.IMBI_WEBHOOKS_RETRY_MAX_SECONDS);
}

/** Claims up to `limit` due deliveries, at most one per subscription and project. */
async function claim(s: Services, limit: number): Promise<Claimed[]> {
  const leaseSeconds = s.env.IMBI_WEBHOOKS_TIMEOUT_SECONDS + 30;
  return s.sql<Claimed[]>`
    UPDATE webhook_deliveries d
    SET attempts = d.attempts + 1, locked_until = now() + make_interval(secs => ${leaseSeconds})
    FROM webhook_subscriptions s
    WHERE s.id = d.subscription_id AND d.id IN (
      SELECT h.id FROM webhook_deliveries h
      JOIN webhook_subscriptions hs ON hs.id = h.subscription_id
      WHERE h.status = 'pending' AND h.next_attempt_at <= now()
        AND (h.locked_until IS NULL OR h.locked_until < now())
        AND hs.active AND (hs.circuit_open_until IS NULL OR hs.circuit_open_until <= now())
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e
          WHERE e.subscription_id = h.subscription_id AND e.ordering_key = h.ordering_key
            AND e.status = 'pending' AND e.seq < h.seq)
      ORDER BY h.seq LIMIT ${limit}
      FOR UPDATE OF h SKIP LOCKED)
    RETURNING d.id, d.subscription_id, s.url, d.payload, d.attempts`;
}

/** Signs and sends one delivery; the HTTP status, or the error that stopped it. */
async function send(
  s: Services,
  d: Claimed,
  secret: string,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const at = new Date();
  try {
    const signature = new Webhook(secret).sign(d.id, at, d.payload);
    const res = await s.outbound.send({
      url: d.url,
      body: d.payload,
      timeoutMs: s.env.IMBI_WEBHOOKS_TIMEOUT_SECONDS * 1000,
      allowPrivate: s.env.IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      headers: {
        "content-type": "application/json",
        "user-agent": `Imbi-Webhooks/${VERSION}`,
        "webhook-id": d.id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
    });
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}: ${res.body.slice(0, 200)}` };
  } catch (e) {
    return { ok: false, status: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Records an attempt's outcome on the delivery and the subscription's circuit breaker. */
async function record(
  s: Services,
  d: Claimed,
  out: { ok: boolean; status: number | null; error: string | null },
): Promise<"delivered" | "failed" | "dead"> {
  const env = s.env;
  if (out.ok) {
    await s.sql.begin(async (tx) => {
      await tx`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_attempt_at = now(),
        last_status = ${out.status}, last_error = NULL, locked_until = NULL WHERE id = ${d.id}`;
      await tx`UPDATE webhook_subscriptions SET consecutive_failures = 0, circuit_open_until = NULL
        WHERE id = ${d.subscription_id}`;
    });
    return "delivered";
  }
  const dead = d.attempts >= env.IMBI_WEBHOOKS_MAX_ATTEMPTS;
  await s.sql.begin(async (tx) => {
    await tx`UPDATE webhook_deliveries SET status = ${dead ? "dead" : "pending"},
      next_attempt_at = now() + make_interval(secs => ${backoffSeconds(env, d.attempts)}),
      last_attempt_at = now(), last_status = ${out.status}, last_error = ${(out.error ?? "").slice(0, 1024)},
      locked_until = NULL WHERE id = ${d.id}`;
    await tx`UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,
      circuit_open_until = CASE WHEN consecutive_failures + 1 >= ${env.IMBI_WEBHOOKS_BREAKER_THRESHOLD}
        THEN now() + make_interval(secs => ${env.IMBI_WEBHOOKS_BREAKER_COOLDOWN_SECONDS})
        ELSE circuit_open_until END
      WHERE id = ${d.subscription_id}`;
  });
  return dead ? "dead" : "failed";
}

/**
 * Sends what is due, round after round (each round takes the next delivery of every project whose
 * previous one just went out), until nothing is due or `maxRounds` ran. Throws only when Postgres fails.
 */
export async function dispatchDue(
  s: Services,
  opts: { batch?: number; maxRounds?: number } = {},
): Promise<DispatchResult> {
  const result: DispatchResult = { delivered: 0, failed: 0, dead: 0 };
  for (let round = 0; round < (opts.maxRounds ?? 20); round++) {
    const claimed = await claim(s, opts.batch ?? 25);
    if (claimed.length === 0) break;
    const sealed = await sealedSecrets(s.sql, [...new Set(claimed.map((d) => d.subscription_id))]);
    await Promise.all(
      claimed.map(async (d) => {
        let out: { ok: boolean; status: number | null; error: string | null };
        try {
          const secret = await openSecret(s.env, "webhook-subscription", sealed.get(d.subscription_id) ?? "");
          out = await send(s, d, secret);
        } catch (e) {
          // The secret cannot be opened (the encryption key changed): fails until it is rotated.
          out = { ok: false, status: null, error: `signing secret unreadable: ${(e as Error).message}` };
        }
        result[await record(s, d, out)]++;
      }),
    );
  }
  return result;
}

/** Runs {@link dispatchDue} after the response (queued events, a redelivery); failures are logged. */
export function dispatchSoon(s: Services): void {
  s.background(
    dispatchDue(s).catch((e: unknown) =>
      s.log.warn("webhook dispatch failed", { error: e instanceof Error ? e.message : String(e) }),
    ),
  );
}
