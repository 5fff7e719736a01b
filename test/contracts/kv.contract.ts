import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Kv } from "../../lib/kv/types.ts";

/** How the contract gets a store and, optionally, moves its time forward. */
export interface KvContractOptions {
  /**
   * Lets `ms` pass for the store. Defaults to really sleeping; an adapter with an injectable
   * clock can advance it instead. The Redis adapters must use real time so Redis really expires.
   */
  elapse?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The one behavioural contract every {@link Kv} adapter must pass. `makeKv` receives a prefix
 * unique to the test, so tests never see each other's keys even on a shared server.
 */
export function runKvContract(
  name: string,
  makeKv: (opts: { prefix: string }) => Promise<Kv>,
  opts: KvContractOptions = {},
): void {
  const elapse = opts.elapse ?? sleep;
  const fresh = () => makeKv({ prefix: `test:${randomUUID()}:` });

  describe(`Kv contract: ${name}`, () => {
    it("round-trips JSON values exactly", async () => {
      const kv = await fresh();
      const values: Record<string, unknown> = {
        object: { a: 1, nested: { list: [1, "two", { three: 3 }], flag: false }, nothing: null },
        unicode: 'héllo wörld — 日本語 🚀 \u0000 \n"quoted"',
        numberish: "123",
        exponent: "1e3",
        booleanish: "true",
        nullish: "null",
        spaced: " 42 ",
        json: '{"a":1}',
        number: 42.5,
        negative: -7,
        boolean: true,
        array: [],
        empty: "",
        large: "x".repeat(100_000),
      };
      for (const [k, v] of Object.entries(values)) expect(await kv.set(k, v)).toBe(true);
      for (const [k, v] of Object.entries(values)) expect(await kv.get(k), k).toStrictEqual(v);
    });

    it("returns null for missing keys and overwrites on set", async () => {
      const kv = await fresh();
      expect(await kv.get("missing")).toBeNull();
      await kv.set("k", { v: 1 });
      await kv.set("k", { v: 2 });
      expect(await kv.get("k")).toStrictEqual({ v: 2 });
    });

    it("hands out copies, not references", async () => {
      const kv = await fresh();
      const value = { list: [1] };
      await kv.set("k", value);
      value.list.push(2);
      const read = await kv.get<{ list: number[] }>("k");
      expect(read).toStrictEqual({ list: [1] });
      read?.list.push(3);
      expect(await kv.get("k")).toStrictEqual({ list: [1] });
    });

    it("honours onlyIfAbsent", async () => {
      const kv = await fresh();
      expect(await kv.set("lock", "first", { onlyIfAbsent: true })).toBe(true);
      expect(await kv.set("lock", "second", { onlyIfAbsent: true })).toBe(false);
      expect(await kv.get("lock")).toBe("first");
      expect(await kv.set("lock", "third")).toBe(true);
      expect(await kv.get("lock")).toBe("third");
      await kv.del("lock");
      expect(await kv.set("lock", "fourth", { onlyIfAbsent: true, ttlSeconds: 60 })).toBe(true);
      expect(await kv.get("lock")).toBe("fourth");
    });

    it("expires keys after their TTL", async () => {
      const kv = await fresh();
      await kv.set("short", "v", { ttlSeconds: 1 });
      await kv.set("nx-short", "v", { ttlSeconds: 1, onlyIfAbsent: true });
      await kv.set("long", "v", { ttlSeconds: 60 });
      await kv.set("forever", "v");
      expect(await kv.exists("short")).toBe(true);
      expect(await kv.get("nx-short")).toBe("v");
      await elapse(1_200);
      expect(await kv.get("short")).toBeNull();
      expect(await kv.exists("short")).toBe(false);
      expect(await kv.exists("nx-short")).toBe(false);
      expect(await kv.get("long")).toBe("v");
      expect(await kv.get("forever")).toBe("v");
      // An expired key is absent, so onlyIfAbsent may claim it again.
      expect(await kv.set("short", "again", { onlyIfAbsent: true })).toBe(true);
    });

    it("rejects TTLs and windows that are not positive", async () => {
      const kv = await fresh();
      await expect(kv.set("k", 1, { ttlSeconds: 0 })).rejects.toThrow(RangeError);
      await expect(kv.set("k", 1, { ttlSeconds: Number.NaN })).rejects.toThrow(RangeError);
      await expect(kv.incrWindow("k", -1)).rejects.toThrow(RangeError);
      expect(await kv.exists("k")).toBe(false);
    });

    it("deletes and counts only keys that existed", async () => {
      const kv = await fresh();
      await kv.set("a", 1);
      await kv.set("b", 2);
      expect(await kv.exists("a")).toBe(true);
      expect(await kv.del("a", "b", "missing")).toBe(2);
      expect(await kv.exists("a")).toBe(false);
      expect(await kv.get("b")).toBeNull();
      expect(await kv.del("a")).toBe(0);
      expect(await kv.del()).toBe(0);
    });

    it("counts hits in a fixed window and restarts after it", async () => {
      const kv = await fresh();
      const first = await kv.incrWindow("w", 1);
      expect(first.count).toBe(1);
      expect(first.resetMs).toBeGreaterThan(0);
      expect(first.resetMs).toBeLessThanOrEqual(1_000);
      expect((await kv.incrWindow("w", 1)).count).toBe(2);
      const third = await kv.incrWindow("w", 1);
      expect(third.count).toBe(3);
      // Later hits do not extend the window: it is fixed from the first hit.
      expect(third.resetMs).toBeLessThanOrEqual(first.resetMs);
      await elapse(1_200);
      const next = await kv.incrWindow("w", 1);
      expect(next.count).toBe(1);
      expect(next.resetMs).toBeGreaterThan(0);
      // Other windows are independent.
      expect((await kv.incrWindow("other", 60)).count).toBe(1);
    });

    it("gives concurrent hits distinct, gap-free counts", async () => {
      const kv = await fresh();
      const hits = await Promise.all(Array.from({ length: 50 }, () => kv.incrWindow("burst", 60)));
      expect(hits.map((h) => h.count).sort((a, b) => a - b)).toStrictEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      for (const h of hits) {
        expect(h.resetMs).toBeGreaterThan(0);
        expect(h.resetMs).toBeLessThanOrEqual(60_000);
      }
      expect(await kv.get("burst")).toBe(50);
    });

    it("gives a window to a counter key that had no expiry", async () => {
      const kv = await fresh();
      await kv.set("plain", 5);
      const hit = await kv.incrWindow("plain", 1);
      expect(hit.count).toBe(6);
      expect(hit.resetMs).toBeGreaterThan(0);
      expect(hit.resetMs).toBeLessThanOrEqual(1_000);
      await elapse(1_200);
      expect(await kv.exists("plain")).toBe(false);
    });

    it("refuses to count a non-integer value", async () => {
      const kv = await fresh();
      await kv.set("text", "not a number");
      await expect(kv.incrWindow("text", 60)).rejects.toThrow(/integer/);
      expect(await kv.get("text")).toBe("not a number");
    });

    it("isolates stores with different prefixes", async () => {
      const a = await fresh();
      const b = await fresh();
      await a.set("shared", "from a");
      expect(await b.get("shared")).toBeNull();
      expect(await b.exists("shared")).toBe(false);
      expect(await b.set("shared", "from b", { onlyIfAbsent: true })).toBe(true);
      expect((await a.incrWindow("count", 60)).count).toBe(1);
      expect((await b.incrWindow("count", 60)).count).toBe(1);
      expect(await b.del("shared")).toBe(1);
      expect(await a.get("shared")).toBe("from a");
    });

    it("answers ping with a latency", async () => {
      const kv = await fresh();
      const res = await kv.ping();
      expect(res.err).toBeUndefined();
      expect(res.val?.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });
}
