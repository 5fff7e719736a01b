import { describe, expect, it } from "vitest";
import { request } from "../../test/contracts/score_queue.contract.ts";
import { createMemoryKv } from "../kv/memory.ts";
import { createKvDebouncer } from "./debounce.ts";
import {
  type CloudflareMessage,
  type CloudflareQueueProducer,
  type CloudflareSendRequest,
  consumeCloudflareBatch,
  createCloudflareScoreQueue,
  type ScoreMessageBody,
} from "./queue_cloudflare.ts";
import type { MessageOutcome, ScoreMessage } from "./types.ts";

// Fakes of Cloudflare's runtime (the producer binding and a delivered batch), not of our stores:
// the real workerd queue run belongs to the Workers suite.
function fakeProducer() {
  const batches: CloudflareSendRequest[][] = [];
  const producer: CloudflareQueueProducer = {
    send: async (body, opts) => {
      batches.push([{ body, ...opts }]);
    },
    sendBatch: async (messages) => {
      batches.push([...messages]);
    },
  };
  return { producer, batches };
}

function fakeMessage(body: unknown, attempts = 1) {
  const calls: { ack: number; retries: ({ delaySeconds?: number } | undefined)[] } = { ack: 0, retries: [] };
  const msg: CloudflareMessage = {
    id: `cf-${Math.random()}`,
    body,
    attempts,
    ack: () => {
      calls.ack++;
    },
    retry: (opts) => {
      calls.retries.push(opts);
    },
  };
  return { msg, calls };
}

const body = (id: string, projectId: string): ScoreMessageBody => ({
  id,
  project_id: projectId,
  reason: "policy_change",
  requested_by: "system",
  requested_at: "2026-01-01T00:00:00.000Z",
});

describe("cloudflare score queue: producer", () => {
  it("sends batches of at most 100, delayed by the debounce window rounded up to seconds", async () => {
    const { producer, batches } = fakeProducer();
    const queue = createCloudflareScoreQueue(
      producer,
      createKvDebouncer(createMemoryKv({ sweepIntervalMs: 0 })),
      {
        debounceMs: 1_500,
      },
    );
    expect(queue.kind).toBe("cloudflare");
    const ids = Array.from({ length: 250 }, (_, i) => `p${i}`);
    expect(await queue.enqueue([...ids, "p0"].map(request))).toStrictEqual({ enqueued: 250, debounced: 1 });
    expect(batches.map((b) => b.length)).toStrictEqual([100, 100, 50]);
    const sent = batches.flat();
    expect(sent.every((m) => m.delaySeconds === 2)).toBe(true);
    const bodies = sent.map((m) => m.body as ScoreMessageBody);
    expect(bodies.map((b) => b.project_id)).toStrictEqual(ids);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(250);
    expect(bodies[0]).toMatchObject({ reason: "project_change", requested_by: "tester@example.com" });
    expect(bodies[0]).not.toHaveProperty("attempts");

    // Inside the window every repeat is dropped and nothing is sent.
    expect(await queue.enqueue(ids.slice(0, 10).map(request))).toStrictEqual({ enqueued: 0, debounced: 10 });
    expect(batches).toHaveLength(3);
  });

  it("sends without a delay and without touching the debouncer when debouncing is off", async () => {
    const { producer, batches } = fakeProducer();
    const debouncer = {
      claim: async () => {
        throw new Error("must not be called");
      },
    };
    const queue = createCloudflareScoreQueue(producer, debouncer, { debounceMs: 0 });
    expect(await queue.enqueue(["a", "b", "a"].map(request))).toStrictEqual({ enqueued: 2, debounced: 1 });
    expect(batches.flat().map((m) => m.delaySeconds)).toStrictEqual([undefined, undefined]);
    expect(await queue.enqueue([])).toStrictEqual({ enqueued: 0, debounced: 0 });
    expect(batches).toHaveLength(1);
  });

  it("refuses a debounce window Cloudflare cannot delay", () => {
    const { producer } = fakeProducer();
    const debouncer = createKvDebouncer(createMemoryKv({ sweepIntervalMs: 0 }));
    expect(() => createCloudflareScoreQueue(producer, debouncer, { debounceMs: 13 * 3600_000 })).toThrow(
      RangeError,
    );
  });
});

describe("cloudflare score queue: consumeCloudflareBatch", () => {
  it("maps messages, then acks or retries each by its outcome", async () => {
    const ok = fakeMessage(body("m-ok", "p1"), 1);
    const retried = fakeMessage(body("m-retry", "p2"), 3);
    const missing = fakeMessage(body("m-missing", "p3"), 2);
    let seen: ScoreMessage[] = [];
    await consumeCloudflareBatch(
      { messages: [ok.msg, retried.msg, missing.msg] },
      async (batch) => {
        seen = batch;
        return new Map<string, MessageOutcome>([
          ["m-ok", "ack"],
          ["m-retry", "retry"],
        ]);
      },
      { retryDelaySeconds: (attempts) => attempts * 10 },
    );
    expect(seen).toStrictEqual([
      { ...body("m-ok", "p1"), attempts: 1 },
      { ...body("m-retry", "p2"), attempts: 3 },
      { ...body("m-missing", "p3"), attempts: 2 },
    ]);
    expect(ok.calls).toStrictEqual({ ack: 1, retries: [] });
    expect(retried.calls).toStrictEqual({ ack: 0, retries: [{ delaySeconds: 30 }] });
    expect(missing.calls).toStrictEqual({ ack: 0, retries: [{ delaySeconds: 20 }] });
  });

  it("retries the whole batch when the handler throws, without throwing itself", async () => {
    const msgs = [fakeMessage(body("a", "p1")), fakeMessage(body("b", "p2"), 4)];
    await consumeCloudflareBatch({ messages: msgs.map((m) => m.msg) }, async () => {
      throw new Error("boom");
    });
    // The default delay doubles per attempt.
    expect(msgs.map((m) => m.calls)).toStrictEqual([
      { ack: 0, retries: [{ delaySeconds: 2 }] },
      { ack: 0, retries: [{ delaySeconds: 16 }] },
    ]);
  });

  it("retries malformed bodies without handing them over, so they end in the dead-letter queue", async () => {
    const bad = fakeMessage({ nope: true });
    const good = fakeMessage(body("g", "p1"));
    const handed: string[] = [];
    await consumeCloudflareBatch(
      { messages: [bad.msg, good.msg] },
      async (batch) => {
        handed.push(...batch.map((m) => m.id));
        return new Map(batch.map((m) => [m.id, "ack" as const]));
      },
      { retryDelaySeconds: 5 },
    );
    expect(handed).toStrictEqual(["g"]);
    expect(bad.calls).toStrictEqual({ ack: 0, retries: [{ delaySeconds: 5 }] });
    expect(good.calls).toStrictEqual({ ack: 1, retries: [] });
  });
});
