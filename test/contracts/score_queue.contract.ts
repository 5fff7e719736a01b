import { afterEach, describe, expect, it, vi } from "vitest";
import type {
  MessageOutcome,
  ScoreConsumer,
  ScoreMessage,
  ScoreQueue,
  ScoreRequest,
} from "../../lib/scoring/types.ts";

/** Options the contract builds its queues with. */
export interface QueueContractOptions {
  debounceMs: number;
  maxAttempts?: number;
  /** Small, so retries come back quickly. */
  retryDelayMs: number;
}

/** A queue under test, with the two questions the contract asks of its store. */
export interface QueueUnderTest {
  queue: ScoreQueue & ScoreConsumer;
  deadLetters(): Promise<ScoreMessage[]>;
  /** Messages neither acked nor dead-lettered yet. */
  remaining(): Promise<number>;
}

/** What a recording handler does with one message: an outcome, leave it out of the map, or throw. */
type Decision = MessageOutcome | "omit" | "throw";

/** A delivery as the handler saw it, with the time it saw it. */
export type Delivery = ScoreMessage & { at: number };

/** A handler that records every delivery and decides per message (ack by default). */
export function recorder(decide: (m: ScoreMessage, seen: Delivery[]) => Decision = () => "ack") {
  const seen: Delivery[] = [];
  return {
    seen,
    of: (projectId: string) => seen.filter((m) => m.project_id === projectId),
    handler: async (batch: ScoreMessage[]) => {
      const outcomes = new Map<string, MessageOutcome>();
      let fail = false;
      for (const m of batch) {
        const d = decide(m, seen);
        seen.push({ ...m, at: Date.now() });
        if (d === "throw") fail = true;
        else if (d !== "omit") outcomes.set(m.id, d);
      }
      if (fail) throw new Error("handler failed");
      return outcomes;
    },
  };
}

export const request = (projectId: string): ScoreRequest => ({
  project_id: projectId,
  reason: "project_change",
  requested_by: "tester@example.com",
});

const until = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 20_000, interval: 20 });

/**
 * The behaviour every {@link ScoreQueue} + {@link ScoreConsumer} adapter must show: exactly-once
 * delivery of acked messages, trailing debounce, no early delivery, retries with a growing
 * delivery count, dead-lettering after maxAttempts, and a throwing handler retrying its batch.
 */
export function runScoreQueueContract(
  name: string,
  make: (opts: QueueContractOptions) => Promise<QueueUnderTest>,
): void {
  describe(`score queue contract: ${name}`, () => {
    const started: QueueUnderTest[] = [];
    const fresh = async (opts: Partial<QueueContractOptions> = {}) => {
      const q = await make({ debounceMs: 0, retryDelayMs: 10, ...opts });
      started.push(q);
      return q;
    };
    afterEach(async () => {
      await Promise.all(started.splice(0).map((q) => q.queue.stop()));
    });

    it("delivers every enqueued project exactly once", async () => {
      const q = await fresh();
      const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
      expect(await q.queue.enqueue(ids.map(request))).toStrictEqual({ enqueued: 40, debounced: 0 });
      const rec = recorder();
      q.queue.start(rec.handler);
      await until(async () => expect(await q.remaining()).toBe(0));
      await q.queue.stop();
      expect(rec.seen.map((m) => m.project_id).sort()).toStrictEqual([...ids].sort());
      expect(new Set(rec.seen.map((m) => m.id)).size).toBe(40);
      for (const m of rec.seen) {
        expect(m).toMatchObject({
          reason: "project_change",
          requested_by: "tester@example.com",
          attempts: 1,
        });
        expect(new Date(m.requested_at).toISOString()).toBe(m.requested_at);
      }
      expect(await q.deadLetters()).toStrictEqual([]);
    });

    it("debounces repeats within the window, duplicates in one call included, and not after it", async () => {
      const q = await fresh({ debounceMs: 300 });
      expect(await q.queue.enqueue(["a", "b", "a"].map(request))).toStrictEqual({
        enqueued: 2,
        debounced: 1,
      });
      expect(await q.queue.enqueue([request("a")])).toStrictEqual({ enqueued: 0, debounced: 1 });
      const rec = recorder();
      q.queue.start(rec.handler);
      await until(() => expect(rec.seen).toHaveLength(2));
      // A message is due when its window ends, so once it was delivered the window is over.
      expect(await q.queue.enqueue([request("a")])).toStrictEqual({ enqueued: 1, debounced: 0 });
      await until(() => expect(rec.of("a")).toHaveLength(2));
      await until(async () => expect(await q.remaining()).toBe(0));
      expect(rec.of("b")).toHaveLength(1);
    });

    it("never delivers a message before requested_at + debounceMs", async () => {
      const debounceMs = 250;
      const q = await fresh({ debounceMs });
      await q.queue.enqueue(["x1", "x2", "x3"].map(request));
      const rec = recorder();
      q.queue.start(rec.handler);
      await until(() => expect(rec.seen).toHaveLength(3));
      for (const m of rec.seen) expect(m.at).toBeGreaterThanOrEqual(Date.parse(m.requested_at) + debounceMs);
    });

    it("redelivers retried and missing outcomes with attempts + 1 and the same id", async () => {
      const q = await fresh();
      await q.queue.enqueue(["r", "m", "ok"].map(request));
      // First deliveries: "r" asks for a retry, "m" is left out of the outcome map.
      const first: Record<string, Decision> = { r: "retry", m: "omit" };
      const rec = recorder((m) => (m.attempts === 1 ? (first[m.project_id] ?? "ack") : "ack"));
      q.queue.start(rec.handler);
      await until(async () => {
        expect(rec.seen).toHaveLength(5);
        expect(await q.remaining()).toBe(0);
      });
      for (const p of ["r", "m"]) {
        expect(rec.of(p).map((m) => m.attempts)).toStrictEqual([1, 2]);
        expect(new Set(rec.of(p).map((m) => m.id)).size).toBe(1);
      }
      expect(rec.of("ok").map((m) => m.attempts)).toStrictEqual([1]);
    });

    it("dead-letters a poison message after maxAttempts while the others are acked", async () => {
      const q = await fresh({ maxAttempts: 3 });
      await q.queue.enqueue(["poison", "good1", "good2"].map(request));
      const rec = recorder((m) => (m.project_id === "poison" ? "retry" : "ack"));
      q.queue.start(rec.handler);
      await until(async () => {
        expect(await q.deadLetters()).toHaveLength(1);
        expect(await q.remaining()).toBe(0);
      });
      const poison = rec.of("poison");
      expect(poison.map((m) => m.attempts)).toStrictEqual([1, 2, 3]);
      const [dead] = await q.deadLetters();
      expect(dead).toMatchObject({
        id: poison[0]!.id,
        project_id: "poison",
        attempts: 3,
        reason: "project_change",
      });
      expect(rec.of("good1")).toHaveLength(1);
      expect(rec.of("good2")).toHaveLength(1);
      await q.queue.stop();
      expect(rec.of("poison")).toHaveLength(3);
    });

    it("retries the whole batch when the handler throws", async () => {
      const q = await fresh();
      await q.queue.enqueue(["t1", "t2", "t3"].map(request));
      const batches: ScoreMessage[][] = [];
      q.queue.start(async (batch) => {
        batches.push(batch);
        if (batches.length === 1) throw new Error("handler failed");
        return new Map(batch.map((m) => [m.id, "ack" as const]));
      });
      await until(async () => expect(await q.remaining()).toBe(0));
      expect(batches[0]!.map((m) => m.attempts)).toStrictEqual([1, 1, 1]);
      const seen = batches.flat();
      for (const p of ["t1", "t2", "t3"]) {
        expect(seen.filter((m) => m.project_id === p).map((m) => m.attempts)).toStrictEqual([1, 2]);
      }
    });
  });
}
