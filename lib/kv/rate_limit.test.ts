import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { createMemoryKv } from "./memory.ts";
import { checkRateLimit, parseRateLimit } from "./rate_limit.ts";
import type { Kv } from "./types.ts";
import { createUpstashKv } from "./upstash.ts";

describe("parseRateLimit", () => {
  it.each([
    ["5/minute", 5, 60],
    ["5/minutes", 5, 60],
    ["1/second", 1, 1],
    ["100 per hour", 100, 3_600],
    ["1000/day", 1_000, 86_400],
    ["10/5 minutes", 10, 300],
    ["10/5minutes", 10, 300],
    ["  3 / Hour ", 3, 3_600],
    ["2/30 SECONDS", 2, 30],
  ])("parses %j", (spec, limit, windowSeconds) => {
    expect(parseRateLimit(spec)).toStrictEqual({ limit, windowSeconds });
  });

  it.each([
    "",
    "minute",
    "5",
    "5/",
    "five/minute",
    "0/minute",
    "-1/minute",
    "5/fortnight",
    "5/0 minutes",
    "1.5/minute",
    "5/minute;10/hour",
    "5/minute extra",
  ])("rejects %j with a message naming it", (spec) => {
    expect(() => parseRateLimit(spec)).toThrow(`Invalid rate limit ${JSON.stringify(spec)}`);
  });
});

/** Runs the same enforcement checks against a store; `elapse` lets its window pass. */
function enforcementSuite(name: string, make: () => Kv, elapse: (ms: number) => Promise<void>) {
  describe(`checkRateLimit on ${name}`, () => {
    it("allows up to the limit, then refuses with Retry-After until the window resets", async () => {
      const kv = make();
      const spec = { limit: 3, windowSeconds: 1 };
      const seen = [];
      for (let i = 0; i < 3; i++) seen.push(await checkRateLimit(kv, "login:1.2.3.4", spec));
      expect(seen.map((d) => [d.allowed, d.remaining, d.retryAfterSeconds])).toStrictEqual([
        [true, 2, 0],
        [true, 1, 0],
        [true, 0, 0],
      ]);
      const refused = await checkRateLimit(kv, "login:1.2.3.4", spec);
      expect(refused).toMatchObject({ allowed: false, count: 4, remaining: 0, limit: 3, degraded: false });
      expect(refused.retryAfterSeconds).toBe(1);
      // Another client has its own budget.
      expect((await checkRateLimit(kv, "login:5.6.7.8", spec)).allowed).toBe(true);
      await elapse(1_200);
      expect(await checkRateLimit(kv, "login:1.2.3.4", spec)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it("rounds Retry-After up to whole seconds of the remaining window", async () => {
      const kv = make();
      const spec = { limit: 1, windowSeconds: 120 };
      expect((await checkRateLimit(kv, "k", spec)).allowed).toBe(true);
      const refused = await checkRateLimit(kv, "k", spec);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBeGreaterThan(110);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(120);
      expect(refused.resetSeconds).toBe(refused.retryAfterSeconds);
    });

    it("admits exactly `limit` of a concurrent burst", async () => {
      const kv = make();
      const spec = parseRateLimit("10/minute");
      const all = await Promise.all(Array.from({ length: 30 }, () => checkRateLimit(kv, "burst", spec)));
      expect(all.filter((d) => d.allowed)).toHaveLength(10);
    });
  });
}

let clock = 1_700_000_000_000;
enforcementSuite(
  "memory",
  () => createMemoryKv({ prefix: `rl-test:${randomUUID()}:`, now: () => clock, sweepIntervalMs: 0 }),
  async (ms) => {
    clock += ms;
  },
);

enforcementSuite(
  "upstash via bridge → redis-server",
  () =>
    createUpstashKv({
      url: inject("upstashUrl"),
      token: inject("upstashToken"),
      prefix: `rl-test:${randomUUID()}:`,
    }),
  (ms) => new Promise((r) => setTimeout(r, ms)),
);

describe("checkRateLimit when the store is down", () => {
  it("fails open and says so", async () => {
    const kv = createUpstashKv({ url: "http://127.0.0.1:9", token: "t", retries: 0 });
    const d = await checkRateLimit(kv, "k", parseRateLimit("1/minute"));
    expect(d).toStrictEqual({
      allowed: true,
      limit: 1,
      count: 0,
      remaining: 1,
      retryAfterSeconds: 0,
      resetSeconds: 60,
      degraded: true,
    });
  });
});
