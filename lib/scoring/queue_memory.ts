import type { Logger } from "../log.ts";
import {
  checkQueueOptions,
  DEFAULT_BATCH_SIZE,
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_DELAY_MS,
  type DeadLetter,
  newMessageId,
  outcomeOf,
  retryDelayMs,
  uniqueRequests,
} from "./queue_common.ts";
import type { MessageOutcome, ScoreConsumer, ScoreHandler, ScoreMessage, ScoreQueue } from "./types.ts";

/** Options for {@link createMemoryScoreQueue}. */
export interface MemoryScoreQueueOptions {
  /** Trailing debounce window per project; defaults to 5000, 0 disables it. */
  debounceMs?: number;
  /** Messages per handler call; defaults to 16. */
  batchSize?: number;
  /** Deliveries before a message is dead-lettered; defaults to 5. */
  maxAttempts?: number;
  /** First retry delay, doubled per delivery up to 30 s; defaults to 500. */
  retryDelayMs?: number;
  /** Where handler failures are reported; silent when omitted. */
  log?: Logger;
}

/** The in-process queue: producer, consumer, and the introspection tests and the status route use. */
export interface MemoryScoreQueue extends ScoreQueue, ScoreConsumer {
  readonly kind: "memory";
  /** Messages that failed `maxAttempts` deliveries, oldest first (copies). */
  deadLetters(): DeadLetter[];
  /** Messages queued, delayed or in flight. */
  size(): number;
  /** Resolves once nothing is queued, delayed or in flight (needs a started consumer to drain). */
  idle(): Promise<void>;
}

interface Entry {
  /** The message as the next delivery will carry it, minus the delivery count. */
  msg: Omit<ScoreMessage, "attempts">;
  /** Deliveries so far. */
  attempts: number;
  /** Epoch ms before which it must not be delivered. */
  dueAt: number;
}

/**
 * The embedded mode's queue: the same debounce, retry and dead-letter semantics as the Redis
 * Streams adapter, held in this process only (messages are lost on exit, like the rest of the
 * embedded default's in-memory state). One batch is in flight at a time.
 */
export function createMemoryScoreQueue(opts: MemoryScoreQueueOptions = {}): MemoryScoreQueue {
  checkQueueOptions(opts);
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const baseRetryMs = opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;

  let queued: Entry[] = [];
  const dead: DeadLetter[] = [];
  /** Project id → epoch ms its debounce window ends. */
  const windows = new Map<string, number>();
  let inFlight = 0;
  let handler: ScoreHandler | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let draining: Promise<void> | undefined;
  let idleWaiters: (() => void)[] = [];

  const notifyIdle = () => {
    if (queued.length > 0 || inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const clearTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  // Wakes the drain loop when the earliest delayed message falls due.
  const arm = () => {
    clearTimer();
    if (!handler || draining || queued.length === 0) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const e of queued) earliest = Math.min(earliest, e.dueAt);
    timer = setTimeout(kick, Math.max(0, earliest - Date.now()));
    // Never hold a Node process open for queued work; Workers' timers have no unref.
    (timer as { unref?: () => void }).unref?.();
  };

  const takeDue = (): Entry[] => {
    const now = Date.now();
    const due: Entry[] = [];
    const rest: Entry[] = [];
    for (const e of queued) (due.length < batchSize && e.dueAt <= now ? due : rest).push(e);
    queued = rest;
    return due;
  };

  const runBatch = async (h: ScoreHandler, entries: Entry[]) => {
    const batch = entries.map((e) => ({ ...e.msg, attempts: ++e.attempts }));
    let outcomes: Map<string, MessageOutcome> | undefined;
    try {
      outcomes = await h(batch.map((m) => ({ ...m })));
    } catch (err) {
      opts.log?.warn("score queue: handler failed, retrying the batch", { err: String(err) });
    }
    const now = Date.now();
    for (const [i, e] of entries.entries()) {
      if (outcomeOf(outcomes, e.msg.id) === "ack") continue;
      if (e.attempts >= maxAttempts) {
        dead.push({ ...batch[i]!, dead_lettered_at: new Date(now).toISOString() });
      } else {
        queued.push({ ...e, dueAt: now + retryDelayMs(e.attempts, baseRetryMs) });
      }
    }
  };

  // One batch at a time; the loop ends when nothing is due and arm() takes over.
  const drain = async () => {
    for (let h = handler; h; h = handler) {
      const due = takeDue();
      if (due.length === 0) return;
      inFlight += due.length;
      try {
        await runBatch(h, due);
      } finally {
        inFlight -= due.length;
      }
    }
  };

  function kick() {
    timer = undefined;
    if (!handler || draining) return;
    // finally() runs asynchronously, so `draining` is always assigned before it is cleared.
    draining = drain().finally(() => {
      draining = undefined;
      arm();
      notifyIdle();
    });
  }

  return {
    kind: "memory",

    async enqueue(requests) {
      const now = Date.now();
      const unique = uniqueRequests(requests);
      let enqueued = 0;
      for (const r of unique) {
        if (debounceMs > 0) {
          const until = windows.get(r.project_id);
          if (until !== undefined && until > now) continue;
          windows.set(r.project_id, now + debounceMs);
        }
        const msg = {
          id: newMessageId(),
          project_id: r.project_id,
          reason: r.reason,
          requested_by: r.requested_by,
          requested_at: new Date(now).toISOString(),
        };
        queued.push({ msg, attempts: 0, dueAt: now + debounceMs });
        enqueued++;
      }
      // Expired windows would otherwise pile up, one per project ever enqueued.
      if (windows.size > 10_000) {
        for (const [id, until] of windows) if (until <= now) windows.delete(id);
      }
      if (enqueued > 0 && !draining) arm();
      return { enqueued, debounced: requests.length - enqueued };
    },

    start(h) {
      if (handler) throw new Error("score queue: the consumer is already started");
      handler = h;
      kick();
    },

    async stop() {
      handler = undefined;
      clearTimer();
      await draining;
    },

    deadLetters: () => dead.map((d) => ({ ...d })),
    size: () => queued.length + inFlight,
    stats: async () => ({ waiting: queued.length + inFlight, dead_letters: dead.length }),

    idle() {
      if (queued.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
