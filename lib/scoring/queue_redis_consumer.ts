// The consumer loop of the Redis Streams score queue (queue_redis.ts). One batch at a time:
//   1. XAUTOCLAIM what any consumer left pending for ≥ claimIdleMs (a crashed one, or our own
//      retries once their wait passed), with delivery counts from XPENDING; then XREADGROUP ">".
//   2. Hold messages whose not_before lies ahead and sleep until the earliest is due: never early.
//   3. Hand the due ones to the handler. Before acting on its outcomes, check with XPENDING that
//      each message is still ours at the same delivery count: if another consumer reclaimed it
//      meanwhile (we were too slow), its outcome is now that consumer's call, not ours.
//   4. ack → XACK + XDEL. retry → stays pending; after the backoff we XCLAIM it back (which counts
//      the redelivery) unless someone else did first. Failing at maxAttempts → XADD to the DLQ,
//      then XACK + XDEL.
// The REST bridge must not see BLOCK (it would park a connection), so an idle consumer polls.
import type { Logger } from "../log.ts";
import { outcomeOf, retryDelayMs } from "./queue_common.ts";
import {
  autoclaim,
  createGroup,
  deadFields,
  dropConsumerIfIdle,
  parseMessage,
  pendingOf,
  readNew,
  type StreamEntry,
  type StreamRef,
} from "./queue_redis_stream.ts";
import type { MessageOutcome, ScoreHandler, ScoreMessage } from "./types.ts";

/** What the loop needs from the queue factory. */
export interface StreamConsumerOptions extends StreamRef {
  dlqKey: string;
  consumerName: string;
  batchSize: number;
  claimIdleMs: number;
  maxAttempts: number;
  retryDelayMs: number;
  pollMs: number;
  log?: Logger;
}

interface Held {
  streamId: string;
  /** The entry's fields as enqueued, for the dead-letter copy. */
  fields: Record<string, string>;
  /** `attempts` is Redis's delivery count as of our latest delivery. */
  msg: ScoreMessage;
  /** Epoch ms before which the handler must not see it. */
  dueAt: number;
  /** When Redis last delivered it to us: the zero of its idle clock. */
  deliveredAt: number;
  /** Waiting for a retry: XCLAIM it back, counting a delivery, before the handler sees it. */
  retry: boolean;
}

/** Longest uninterrupted sleep; stop() and local enqueues wake the loop earlier. */
const MAX_SLEEP_MS = 30_000;
/** Dead letters kept (approximately): enough to diagnose an outage, bounded if one never ends. */
const DLQ_TRIM = { trim: { type: "MAXLEN", threshold: 100_000, comparison: "~" } } as const;

/** Starts and stops the loop; `wake` cuts an idle sleep short (a local enqueue). */
export function createStreamConsumer(o: StreamConsumerOptions) {
  const { redis, key, group, consumerName: me } = o;
  const held = new Map<string, Held>();
  /** Entries to dead-letter without a delivery: malformed, or already delivered maxAttempts times. */
  let doomed: { entry: StreamEntry; attempts: number }[] = [];
  let cursor = "0-0";
  let groupReady = false;
  let running = false;
  let loopDone: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      (timer as { unref?: () => void }).unref?.();
      wakeUp = done;
    });

  const admit = (entry: StreamEntry, deliveries: number, deliveredAt: number) => {
    const msg = parseMessage(entry, deliveries);
    if (!msg || deliveries > o.maxAttempts) {
      held.delete(entry.streamId);
      doomed.push({ entry, attempts: Math.min(deliveries - 1, o.maxAttempts) });
      return;
    }
    const dueAt = Number(entry.fields.not_before) || 0;
    held.set(entry.streamId, { ...entry, msg, dueAt, deliveredAt, retry: false });
  };

  /** Reads up to `room` messages, reclaimed ones first; returns how many arrived. */
  const fetch = async (room: number): Promise<number> => {
    const claimed = await autoclaim(o, me, o.claimIdleMs, cursor, room);
    const claimedAt = Date.now();
    cursor = claimed.next;
    for (const id of claimed.deleted) held.delete(id);
    if (claimed.entries.length > 0) {
      const pending = await pendingOf(
        o,
        claimed.entries.map((e) => e.streamId),
      );
      for (const e of claimed.entries) admit(e, pending.get(e.streamId)?.deliveries ?? 1, claimedAt);
    }
    if (claimed.entries.length >= room) return claimed.entries.length;
    const fresh = await readNew(o, me, room - claimed.entries.length);
    const readAt = Date.now();
    for (const e of fresh) admit(e, 1, readAt);
    return claimed.entries.length + fresh.length;
  };

  const takeDue = (now: number): Held[] => {
    const due = [...held.values()].filter((h) => h.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    const batch = due.slice(0, o.batchSize);
    for (const h of batch) held.delete(h.streamId);
    return batch;
  };

  // XCLAIM with min-idle = the time since our delivery succeeds only if nobody touched the message
  // since (another consumer's claim resets its idle clock). Messages held for less than half of
  // claimIdleMs cannot have been taken and skip the round trip.
  const reclaim = async (due: Held[]): Promise<Held[]> => {
    const now = Date.now();
    const check = due.filter((h) => h.retry || now - h.deliveredAt >= o.claimIdleMs / 2);
    if (check.length === 0) return due;
    const p = redis.pipeline();
    for (const h of check) {
      const minIdle = Math.max(0, Math.floor(now - h.deliveredAt) - 10);
      // Without JUSTID, XCLAIM counts a delivery: right for a retry, wrong for a message we held.
      p.xclaim(key, group, me, minIdle, h.streamId, h.retry ? undefined : { justId: true });
    }
    const replies = await p.exec<unknown[]>();
    const lost = new Set(check.filter((_, i) => !Array.isArray(replies[i]) || replies[i].length === 0));
    const claimedAt = Date.now();
    for (const h of check) {
      if (lost.has(h)) continue;
      if (h.retry) h.msg = { ...h.msg, attempts: h.msg.attempts + 1 };
      h.deliveredAt = claimedAt;
    }
    return due.filter((h) => !lost.has(h));
  };

  const settle = async (batch: Held[], outcomes: Map<string, MessageOutcome> | undefined) => {
    const owners = await pendingOf(
      o,
      batch.map((h) => h.streamId),
    );
    const now = Date.now();
    const done: string[] = [];
    const p = redis.pipeline();
    for (const h of batch) {
      const owner = owners.get(h.streamId);
      if (owner?.consumer !== me || owner.deliveries !== h.msg.attempts) {
        o.log?.warn("score queue: message was reclaimed before its batch finished", { id: h.msg.id });
        continue;
      }
      if (outcomeOf(outcomes, h.msg.id) === "ack") {
        done.push(h.streamId);
      } else if (h.msg.attempts >= o.maxAttempts) {
        p.xadd(o.dlqKey, "*", deadFields(h.fields, h.msg.attempts, now), DLQ_TRIM);
        done.push(h.streamId);
      } else {
        const wait = Math.min(retryDelayMs(h.msg.attempts, o.retryDelayMs), o.claimIdleMs);
        held.set(h.streamId, { ...h, dueAt: now + wait, retry: true });
      }
    }
    for (const d of doomed) {
      p.xadd(o.dlqKey, "*", deadFields(d.entry.fields, d.attempts, now), DLQ_TRIM);
      done.push(d.entry.streamId);
    }
    doomed = [];
    if (done.length > 0) p.xack(key, group, done).xdel(key, done);
    if (p.length() > 0) await p.exec();
  };

  /** One round; returns how long to sleep before the next. */
  const tick = async (handler: ScoreHandler): Promise<number> => {
    if (!groupReady) {
      await createGroup(o);
      groupReady = true;
    }
    // Room for new messages; messages waiting for a retry do not count, they are already ours.
    let waiting = 0;
    for (const h of held.values()) if (!h.retry) waiting++;
    const room = Math.min(o.batchSize, 2 * o.batchSize - waiting);
    const got = room > 0 ? await fetch(room) : 0;
    const due = await reclaim(takeDue(Date.now()));
    if (due.length > 0) {
      let outcomes: Map<string, MessageOutcome> | undefined;
      try {
        outcomes = await handler(due.map((h) => ({ ...h.msg })));
      } catch (err) {
        o.log?.warn("score queue: handler failed, retrying the batch", { err: String(err) });
      }
      await settle(due, outcomes);
      return 0;
    }
    if (doomed.length > 0) await settle([], undefined);
    if (room > 0 && got >= room) return 0; // a full read: more is probably waiting
    let earliest = Number.POSITIVE_INFINITY;
    for (const h of held.values()) earliest = Math.min(earliest, h.dueAt);
    const untilDue = Math.max(1, earliest - Date.now());
    // While there is room keep polling for new and reclaimable messages; otherwise wait for the due time.
    return Math.min(untilDue, room > 0 ? o.pollMs : MAX_SLEEP_MS);
  };

  const loop = async (handler: ScoreHandler) => {
    let backoff = 0;
    while (running) {
      let wait: number;
      try {
        wait = await tick(handler);
        backoff = 0;
      } catch (err) {
        if (/NOGROUP/.test(String(err))) groupReady = false; // the stream was deleted under us
        backoff = Math.min(backoff === 0 ? 250 : backoff * 2, 10_000);
        o.log?.error("score queue: redis error, backing off", { err: String(err), retryInMs: backoff });
        wait = backoff;
      }
      if (running && wait > 0) await sleep(wait);
    }
  };

  return {
    start(handler: ScoreHandler): void {
      if (running) throw new Error("score queue: the consumer is already started");
      running = true;
      const previous = loopDone ?? Promise.resolve();
      loopDone = previous.then(() => loop(handler));
    },
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loopDone;
      // What we held stays pending in Redis; any consumer's XAUTOCLAIM takes it after claimIdleMs.
      held.clear();
      if (groupReady) {
        await dropConsumerIfIdle(o, me).catch((err: unknown) =>
          o.log?.warn("score queue: could not remove the consumer from its group", { err: String(err) }),
        );
      }
    },
    wake(): void {
      wakeUp?.();
    },
  };
}
