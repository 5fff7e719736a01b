import type { Logger } from "../log.ts";
import type { Services } from "../services.ts";
import { pruneDelivered } from "./deliveries.ts";
import { dispatchDue } from "./dispatch.ts";
import { pruneReceipts } from "./inbound.ts";
import { processReceipts } from "./process.ts";

/** How long the delivery log keeps delivered deliveries. */
export const DELIVERED_RETENTION_DAYS = 30;
// Pruning scans the log; once every this many ticks is plenty.
const PRUNE_EVERY_TICKS = 300;

// The timer of long-lived processes (the Node host, tests): outbound retries whose backoff ran out
// and deliveries a circuit held back are sent from here, and received inbound deliveries whose
// retry is due (or whose processing after their request was lost) are processed; fresh ones go
// right after the request that queued them. On Workers the cron trigger does the same.

/** A running dispatcher timer. */
export interface WebhookDispatcher {
  /** Stops the timer and waits for the round in hand. */
  stop(): Promise<void>;
}

/** Runs {@link dispatchDue} every `intervalMs`, one round at a time, with fresh services each time. */
export function startWebhookDispatcher(
  services: () => Services,
  opts: { intervalMs: number; log: Logger },
): WebhookDispatcher {
  let running: Promise<void> | undefined;
  let ticks = 0;
  const tick = () => {
    if (running) return;
    const s = services();
    const prune = ticks++ % PRUNE_EVERY_TICKS === 0;
    running = dispatchDue(s)
      .then(() => processReceipts(s))
      .then(async () => {
        if (prune) {
          await pruneDelivered(s.sql, DELIVERED_RETENTION_DAYS);
          await pruneReceipts(s.sql, s.env.IMBI_WEBHOOKS_RECEIPT_RETENTION_DAYS);
        }
      })
      .catch((e: unknown) =>
        opts.log.warn("webhook dispatch failed", { error: e instanceof Error ? e.message : String(e) }),
      )
      .finally(async () => {
        await s.close();
        running = undefined;
      });
  };
  const timer = setInterval(tick, opts.intervalMs);
  // Node: a pending timer must not keep a finished process alive.
  (timer as { unref?: () => void }).unref?.();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
