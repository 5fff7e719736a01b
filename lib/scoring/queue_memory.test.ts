import { describe, expect, it } from "vitest";
import { recorder, request, runScoreQueueContract } from "../../test/contracts/score_queue.contract.ts";
import { createMemoryKv } from "../kv/memory.ts";
import { createKvDebouncer } from "./debounce.ts";
import { createMemoryScoreQueue } from "./queue_memory.ts";

runScoreQueueContract("memory", async (opts) => {
  const queue = createMemoryScoreQueue(opts);
  return { queue, deadLetters: async () => queue.deadLetters(), remaining: async () => queue.size() };
});

describe("memory score queue", () => {
  it("idle() resolves once everything queued, delayed and in flight is done", async () => {
    const queue = createMemoryScoreQueue({ debounceMs: 50, retryDelayMs: 5 });
    await queue.idle();
    await queue.enqueue(["a", "b"].map(request));
    expect(queue.size()).toBe(2);
    const rec = recorder((m) => (m.project_id === "a" && m.attempts === 1 ? "retry" : "ack"));
    queue.start(rec.handler);
    await queue.idle();
    expect(queue.size()).toBe(0);
    expect(rec.seen.map((m) => `${m.project_id}${m.attempts}`).sort()).toStrictEqual(["a1", "a2", "b1"]);
    await queue.stop();
  });

  it("delivers nothing after stop() and resumes on start()", async () => {
    const queue = createMemoryScoreQueue({ debounceMs: 20 });
    const rec = recorder();
    queue.start(rec.handler);
    await queue.stop();
    await queue.enqueue([request("late")]);
    await new Promise((r) => setTimeout(r, 60));
    expect(rec.seen).toHaveLength(0);
    expect(queue.size()).toBe(1);
    queue.start(rec.handler);
    await queue.idle();
    expect(rec.of("late")).toHaveLength(1);
    await queue.stop();
  });

  it("refuses a second start and bad options", () => {
    const queue = createMemoryScoreQueue();
    queue.start(recorder().handler);
    expect(() => queue.start(recorder().handler)).toThrow(/already started/);
    expect(() => createMemoryScoreQueue({ batchSize: 0 })).toThrow(RangeError);
    expect(() => createMemoryScoreQueue({ debounceMs: -1 })).toThrow(RangeError);
    return queue.stop();
  });

  it("takes 10,000 requests in one call, debouncing repeats", async () => {
    const queue = createMemoryScoreQueue();
    const ids = Array.from({ length: 10_000 }, (_, i) => `bulk${i}`);
    expect(await queue.enqueue(ids.map(request))).toStrictEqual({ enqueued: 10_000, debounced: 0 });
    expect(await queue.enqueue(ids.map(request))).toStrictEqual({ enqueued: 0, debounced: 10_000 });
    expect(queue.size()).toBe(10_000);
  });
});

describe("createKvDebouncer over the memory Kv", () => {
  it("gives each key to one caller per window", async () => {
    const kv = createMemoryKv({ sweepIntervalMs: 0 });
    const debouncer = createKvDebouncer(kv, { concurrency: 4 });
    const ids = Array.from({ length: 50 }, (_, i) => `k${i}`);
    expect((await debouncer.claim([...ids, ...ids], 200)).size).toBe(50);
    expect((await debouncer.claim(ids, 200)).size).toBe(0);
    expect(await kv.exists("score:debounce:k0")).toBe(true);
    expect(await debouncer.claim(["k1"], 0)).toStrictEqual(new Set(["k1"]));
    kv.close();
  });
});
