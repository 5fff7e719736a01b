// The Workers score queue: Cloudflare Queues. The producer debounces through a Debouncer (Upstash)
// and sends delayed batches; the runtime is the consumer loop and calls the Worker's `queue()`
// export, which hands the batch to consumeCloudflareBatch. Redelivery counting and the dead-letter
// queue after `max_retries` are Cloudflare's (wrangler.toml). Only the structural types we use
// are declared here, so lib/ does not depend on @cloudflare/workers-types.
import type { Logger } from "../log.ts";
import type { Debouncer } from "./debounce.ts";
import { DEFAULT_DEBOUNCE_MS, newMessageId, outcomeOf, uniqueRequests } from "./queue_common.ts";
import type { MessageOutcome, ScoreHandler, ScoreMessage, ScoreQueue, ScoreReason } from "./types.ts";

/** One message of a `sendBatch` call. */
export interface CloudflareSendRequest {
  body: unknown;
  delaySeconds?: number;
}

/** The producer binding (`[[queues.producers]]`); a real `Queue` satisfies it. */
export interface CloudflareQueueProducer {
  send(body: unknown, opts?: { delaySeconds?: number }): Promise<unknown>;
  sendBatch(messages: CloudflareSendRequest[], opts?: { delaySeconds?: number }): Promise<unknown>;
}

/** One delivered message, as the runtime passes it to `queue()`. */
export interface CloudflareMessage {
  readonly id: string;
  readonly body: unknown;
  /** Deliveries of this message, this one included. */
  readonly attempts: number;
  ack(): void;
  retry(opts?: { delaySeconds?: number }): void;
}

/** The batch the runtime passes to `queue()`. */
export interface CloudflareMessageBatch {
  readonly messages: readonly CloudflareMessage[];
}

/** What goes on the wire: a {@link ScoreMessage} without the delivery count. */
export type ScoreMessageBody = Omit<ScoreMessage, "attempts">;

/** Cloudflare's limits: messages per `sendBatch`, and the longest delay. */
const SEND_BATCH_MAX = 100;
const MAX_DELAY_SECONDS = 43_200;

/** Options for {@link createCloudflareScoreQueue}. */
export interface CloudflareScoreQueueOptions {
  /** Trailing debounce window per project; defaults to 5000, 0 disables it. At most 12 h. */
  debounceMs?: number;
}

/**
 * A {@link ScoreQueue} over a Cloudflare Queue. Debounced winners are sent in batches of 100 with
 * `delaySeconds = ceil(debounceMs / 1000)`, so none is delivered before its window ends.
 */
export function createCloudflareScoreQueue(
  binding: CloudflareQueueProducer,
  debouncer: Debouncer,
  opts: CloudflareScoreQueueOptions = {},
): ScoreQueue {
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  if (!Number.isFinite(debounceMs) || debounceMs < 0 || debounceMs > MAX_DELAY_SECONDS * 1000) {
    throw new RangeError(`score queue: debounceMs must be between 0 and 12 h, got ${debounceMs}`);
  }
  const delaySeconds = Math.ceil(debounceMs / 1000);

  return {
    kind: "cloudflare",
    async enqueue(requests) {
      const unique = uniqueRequests(requests);
      const claimed =
        debounceMs > 0
          ? await debouncer.claim(
              unique.map((r) => r.project_id),
              debounceMs,
            )
          : undefined;
      const winners = claimed ? unique.filter((r) => claimed.has(r.project_id)) : unique;
      const requested_at = new Date().toISOString();
      const messages = winners.map((r): CloudflareSendRequest => {
        const body: ScoreMessageBody = {
          id: newMessageId(),
          project_id: r.project_id,
          reason: r.reason,
          requested_by: r.requested_by,
          requested_at,
        };
        return delaySeconds > 0 ? { body, delaySeconds } : { body };
      });
      for (let i = 0; i < messages.length; i += SEND_BATCH_MAX) {
        await binding.sendBatch(messages.slice(i, i + SEND_BATCH_MAX));
      }
      return { enqueued: winners.length, debounced: requests.length - winners.length };
    },
  };
}

/** Options for {@link consumeCloudflareBatch}. */
export interface ConsumeCloudflareBatchOptions {
  /** Delay before a retried message returns: seconds, or seconds per attempt. Defaults to 2^attempts, ≤ 300. */
  retryDelaySeconds?: number | ((attempts: number) => number);
  /** Where handler failures and malformed messages are reported. */
  log?: Logger;
}

/**
 * The consumer side on Workers: maps the runtime's batch to {@link ScoreMessage}s, runs the
 * handler, and acks or retries each message by its outcome (missing → retry; a throwing handler
 * → all retry). Never throws, so the runtime does not retry the batch on top of our decisions.
 * A malformed body is retried too: it ends in the dead-letter queue, where someone can look at it.
 */
export async function consumeCloudflareBatch(
  batch: CloudflareMessageBatch,
  handler: ScoreHandler,
  opts: ConsumeCloudflareBatchOptions = {},
): Promise<void> {
  const delay = opts.retryDelaySeconds ?? ((attempts: number) => Math.min(2 ** attempts, 300));
  const retry = (m: CloudflareMessage) => {
    const s = typeof delay === "number" ? delay : delay(m.attempts);
    m.retry({ delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(s))) });
  };

  const valid: { raw: CloudflareMessage; msg: ScoreMessage }[] = [];
  for (const raw of batch.messages) {
    const msg = toScoreMessage(raw);
    if (msg) {
      valid.push({ raw, msg });
    } else {
      opts.log?.warn("score queue: malformed message", { id: raw.id, body: raw.body });
      retry(raw);
    }
  }
  if (valid.length === 0) return;

  let outcomes: Map<string, MessageOutcome> | undefined;
  try {
    outcomes = await handler(valid.map((v) => v.msg));
  } catch (err) {
    opts.log?.warn("score queue: handler failed, retrying the batch", { err: String(err) });
  }
  for (const { raw, msg } of valid) {
    if (outcomeOf(outcomes, msg.id) === "ack") raw.ack();
    else retry(raw);
  }
}

function toScoreMessage(m: CloudflareMessage): ScoreMessage | undefined {
  const b = m.body as Partial<Record<keyof ScoreMessageBody, unknown>> | null;
  if (typeof b !== "object" || b === null) return undefined;
  if (typeof b.project_id !== "string" || b.project_id === "" || typeof b.reason !== "string")
    return undefined;
  return {
    id: typeof b.id === "string" && b.id !== "" ? b.id : m.id,
    project_id: b.project_id,
    reason: b.reason as ScoreReason,
    requested_by: typeof b.requested_by === "string" ? b.requested_by : "",
    requested_at: typeof b.requested_at === "string" ? b.requested_at : new Date().toISOString(),
    attempts: m.attempts,
  };
}
