import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis/cloudflare";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { recorder, request, runScoreQueueContract } from "../../test/contracts/score_queue.contract.ts";
import { createUpstashKv } from "../kv/upstash.ts";
import type { Logger } from "../log.ts";
import { createKvDebouncer, createUpstashDebouncer } from "./debounce.ts";
import { createRedisScoreQueue, type RedisScoreQueueOptions } from "./queue_redis.ts";
import type { MessageOutcome, ScoreMessage } from "./types.ts";

const url = inject("upstashUrl");
const token = inject("upstashToken");
const until = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 20_000, interval: 20 });

// Real redis-server through the Upstash-REST bridge; a fresh prefix keeps every test's streams apart.
runScoreQueueContract("redis streams via bridge → redis-server", async (opts) => {
  const queue = createRedisScoreQueue({ url, token, prefix: `test:${randomUUID()}:`, pollMs: 20, ...opts });
  return { queue, deadLetters: () => queue.deadLetters(), remaining: () => queue.length() };
});

describe("redis score queue", () => {
  const stoppable: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(stoppable.splice(0).map((q) => q.stop()));
  });
  const make = (opts: Partial<RedisScoreQueueOptions> & { prefix: string }) => {
    const q = createRedisScoreQueue({ url, token, debounceMs: 0, pollMs: 20, retryDelayMs: 10, ...opts });
    stoppable.push(q);
    return q;
  };
  const raw = new Redis({ url, token, automaticDeserialization: false, enableTelemetry: false });

  it("delivers messages enqueued before the consumer group existed", async () => {
    const prefix = `test:${randomUUID()}:`;
    const producer = make({ prefix });
    await producer.enqueue(["early1", "early2"].map(request));
    expect(await producer.length()).toBe(2);
    expect(await producer.pendingCount()).toBe(0);
    const consumer = make({ prefix });
    const rec = recorder();
    consumer.start(rec.handler);
    await until(async () => expect(await consumer.length()).toBe(0));
    expect(rec.seen.map((m) => m.project_id).sort()).toStrictEqual(["early1", "early2"]);
    // A stopped consumer that holds nothing leaves the group, so names do not pile up over restarts.
    const consumers = () =>
      raw.exec<unknown[][]>(["XINFO", "CONSUMERS", `${prefix}score-recompute`, "score-workers"]);
    expect((await consumers()).map((c) => c[1])).toContain(consumer.consumerName);
    await consumer.stop();
    expect((await consumers()).map((c) => c[1])).not.toContain(consumer.consumerName);
  });

  it("lets a live consumer reclaim a dead one's batch, and ignores the dead one's late outcomes", async () => {
    const prefix = `test:${randomUUID()}:`;
    const projects = ["k1", "k2", "k3", "k4"];
    // Consumer A takes the batch and "dies": its handler hangs until we release it.
    const dead = createRedisScoreQueue({ url, token, prefix, debounceMs: 0, pollMs: 20 });
    let release: (outcomes: Map<string, MessageOutcome>) => void = () => undefined;
    let deadBatch: ScoreMessage[] = [];
    dead.start(
      (batch) =>
        new Promise((resolve) => {
          deadBatch = batch;
          release = resolve;
        }),
    );
    await dead.enqueue(projects.map(request));
    await until(() => expect(deadBatch).toHaveLength(4));
    expect(await dead.pendingCount()).toBe(4);

    // Consumer B reclaims after claimIdleMs and asks for one retry. While that retry waits, A
    // finishes and acks everything: A no longer owns the messages, so that must change nothing.
    const live = make({ prefix, claimIdleMs: 150, retryDelayMs: 300 });
    const rec = recorder((m, seen) => {
      if (seen.length === 0) release(new Map(deadBatch.map((d) => [d.id, "ack" as const])));
      return m.project_id === "k1" && m.attempts === 2 ? "retry" : "ack";
    });
    live.start(rec.handler);
    await until(async () => {
      expect(rec.of("k1")).toHaveLength(2);
      expect(await live.length()).toBe(0);
    });
    await dead.stop();
    expect(rec.of("k1").map((m) => m.attempts)).toStrictEqual([2, 3]);
    for (const p of ["k2", "k3", "k4"]) expect(rec.of(p).map((m) => m.attempts)).toStrictEqual([2]);
    expect(new Set(rec.seen.map((m) => m.id))).toStrictEqual(new Set(deadBatch.map((m) => m.id)));
    expect(await live.pendingCount()).toBe(0);
    expect(await live.deadLetters()).toStrictEqual([]);
  });

  it("dead-letters, without another delivery, a message crashed consumers took maxAttempts times", async () => {
    const prefix = `test:${randomUUID()}:`;
    const q = make({ prefix, claimIdleMs: 50, maxAttempts: 3 });
    await q.enqueue([request("crasher")]);
    const key = `${prefix}score-recompute`;
    await raw.exec(["XGROUP", "CREATE", key, "score-workers", "0", "MKSTREAM"]);
    const reply = await raw.exec<[[string, [[string, string[]]]]]>([
      "XREADGROUP",
      "GROUP",
      "score-workers",
      "ghost",
      "COUNT",
      "1",
      "STREAMS",
      key,
      ">",
    ]);
    const streamId = reply[0][1][0][0];
    // Two more crashed deliveries: the count is now 3 = maxAttempts.
    await raw.exec(["XCLAIM", key, "score-workers", "ghost", "0", streamId, "RETRYCOUNT", "3"]);
    const rec = recorder();
    q.start(rec.handler);
    await until(async () => expect(await q.deadLetters()).toHaveLength(1));
    expect(rec.seen).toHaveLength(0);
    expect((await q.deadLetters())[0]).toMatchObject({ project_id: "crasher", attempts: 3 });
    expect(await q.length()).toBe(0);
  });

  it("takes 10,000 requests in one call and debounces all of them on a repeat", async () => {
    const q = make({ prefix: `test:${randomUUID()}:`, debounceMs: 60_000 });
    const ids = Array.from({ length: 10_000 }, (_, i) => `bulk${i}`);
    expect(await q.enqueue([...ids, "bulk1"].map(request))).toStrictEqual({ enqueued: 10_000, debounced: 1 });
    expect(await q.length()).toBe(10_000);
    expect(await q.enqueue(ids.map(request))).toStrictEqual({ enqueued: 0, debounced: 10_000 });
  });

  it("keeps polling through Redis errors, logs them, and stops cleanly", async () => {
    const errors: string[] = [];
    const log: Logger = { debug() {}, info() {}, warn() {}, error: (msg) => errors.push(msg) };
    const q = createRedisScoreQueue({ url: "http://127.0.0.1:9", token, retries: 0, pollMs: 10, log });
    await expect(q.enqueue([request("x")])).rejects.toThrow();
    q.start(recorder().handler);
    await until(() => expect(errors.length).toBeGreaterThanOrEqual(2));
    await q.stop();
  });

  it("shares debounce keys between the pipelined and the Kv debouncer", async () => {
    const prefix = `test:${randomUUID()}:`;
    const pipelined = createUpstashDebouncer(raw, { prefix });
    const viaKv = createKvDebouncer(createUpstashKv({ url, token, prefix }));
    expect(await pipelined.claim(["a", "b", "a"], 5_000)).toStrictEqual(new Set(["a", "b"]));
    expect(await viaKv.claim(["a", "b", "c"], 5_000)).toStrictEqual(new Set(["c"]));
    expect(await pipelined.claim(["c", "d"], 5_000)).toStrictEqual(new Set(["d"]));
    const pttl = await raw.pttl(`${prefix}score:debounce:a`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(5_000);
  });
});
