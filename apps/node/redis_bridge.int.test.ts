import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startRedisBridge } from "./redis_bridge.ts";

const url = inject("upstashUrl");
const token = inject("upstashToken");
const redisUrl = inject("redisUrl");

/** A raw request to the bridge, so the wire format itself is under test. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const key = () => `bridge-test:${randomUUID()}`;
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

// A direct connection to the same server, to check what the bridge really did.
const direct = createClient({ url: redisUrl });
beforeAll(async () => {
  await direct.connect();
});
afterAll(async () => {
  await direct.close();
});

describe("redis bridge: auth and refusals", () => {
  it("answers 401 to a missing or wrong token without running anything", async () => {
    const k = key();
    for (const auth of [undefined, "Bearer wrong", `Bearer ${token}x`, token, `bearer ${token}`]) {
      const res = await fetch(url, {
        method: "POST",
        headers: auth === undefined ? {} : { Authorization: auth },
        body: JSON.stringify(["SET", k, "v"]),
      });
      expect(res.status, String(auth)).toBe(401);
      expect(await res.json()).toStrictEqual({ error: "Unauthorized" });
    }
    expect(await direct.exists(k)).toBe(0);
  });

  it("refuses dangerous and connection-state commands with a 400", async () => {
    const k = key();
    await direct.set(k, "survives");
    for (const cmd of [
      ["FLUSHALL"],
      ["flushdb", "ASYNC"],
      ["CONFIG", "SET", "dir", "/tmp"],
      ["SHUTDOWN", "NOSAVE"],
      ["DEBUG", "SLEEP", "1"],
      ["MONITOR"],
      ["SUBSCRIBE", "ch"],
      ["SELECT", "1"],
      ["MULTI"],
      ["CLIENT", "KILL", "TYPE", "normal"],
      ["EVAL", "return redis.call('FLUSHALL')", "0"],
      ["SCRIPT", "FLUSH"],
    ]) {
      const res = await post("/", cmd);
      expect(res.status, cmd.join(" ")).toBe(400);
      expect((res.body as { error: string }).error).toMatch(/not allowed/);
    }
    // One refused command refuses the whole pipeline before anything runs.
    const k2 = key();
    const res = await post("/pipeline", [["SET", k2, "v"], ["FLUSHALL"]]);
    expect(res.status).toBe(400);
    expect(await direct.exists(k2)).toBe(0);
    expect(await direct.get(k)).toBe("survives");
  });

  it("answers 413 to a body over the limit", async () => {
    const small = await startRedisBridge({ redisUrl, token, maxBodyBytes: 1024 });
    try {
      const res = await fetch(small.url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
        body: JSON.stringify(["SET", key(), "x".repeat(2048)]),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(/exceeds 1024 bytes/);
      // A body just under the limit still works.
      const fine = await fetch(small.url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
        body: JSON.stringify(["SET", key(), "x".repeat(900)]),
      });
      expect(await fine.json()).toStrictEqual({ result: "OK" });
    } finally {
      await small.close();
    }
    // The default limit is 1 MiB, and a body streamed without Content-Length is counted too.
    const big = new TextEncoder().encode(JSON.stringify(["SET", key(), "y".repeat(1_100_000)]));
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < big.length; i += 64 * 1024) c.enqueue(big.slice(i, i + 64 * 1024));
        c.close();
      },
    });
    const res = await fetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("answers 400 to malformed requests and 404/405 to other routes", async () => {
    expect((await post("/", "{not json")).status).toBe(400);
    expect((await post("/", { cmd: "GET" })).status).toBe(400);
    expect((await post("/", [])).status).toBe(400);
    expect((await post("/", ["GET", { nested: true }])).status).toBe(400);
    expect((await post("/pipeline", [])).status).toBe(400);
    expect((await post("/", ["NOSUCHCOMMAND"])).body).toMatchObject({
      error: expect.stringMatching(/unknown/i),
    });
    expect((await post("/", ["INCR"])).status).toBe(400);
    expect((await post("/get/foo", ["GET", "foo"])).status).toBe(404);
    const get = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
  });
});

describe("redis bridge: wire format", () => {
  it("runs single commands with plain JSON results", async () => {
    const k = key();
    expect(await post("/", ["SET", k, "héllo", "EX", 60])).toStrictEqual({
      status: 200,
      body: { result: "OK" },
    });
    expect((await post("/", ["GET", k])).body).toStrictEqual({ result: "héllo" });
    expect((await post("/", ["TTL", k])).body).toMatchObject({ result: expect.any(Number) });
    expect((await post("/", ["GET", key()])).body).toStrictEqual({ result: null });
    await direct.rPush(`${k}:l`, ["a", "b"]);
    expect((await post("/", ["LRANGE", `${k}:l`, 0, -1])).body).toStrictEqual({ result: ["a", "b"] });
  });

  it("base64-encodes strings, byte for byte, when asked to", async () => {
    const k = key();
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x41]);
    await direct.set(k, bytes);
    const enc = { "Upstash-Encoding": "base64" };
    expect((await post("/", ["GET", k], enc)).body).toStrictEqual({ result: b64(bytes) });
    expect((await post("/pipeline", [["GET", k]], enc)).body).toStrictEqual([{ result: b64(bytes) }]);
    // Inside transactions only UTF-8 survives exactly (see the bridge); that is all REST can write.
    await direct.set(`${k}:u`, "ünïcode ✓");
    expect((await post("/multi-exec", [["GET", `${k}:u`]], enc)).body).toStrictEqual([
      { result: b64("ünïcode ✓") },
    ]);
    expect((await post("/", ["SET", k, "OK"], enc)).body).toStrictEqual({ result: "OK" });
    expect((await post("/", ["GET", k], enc)).body).toStrictEqual({ result: b64("OK") });
    expect((await post("/", ["PING"], enc)).body).toStrictEqual({ result: b64("PONG") });
    expect((await post("/", ["INCR", `${k}:n`], enc)).body).toStrictEqual({ result: 1 });
    expect((await post("/", ["MGET", k, `${k}:none`], enc)).body).toStrictEqual({
      result: [b64("OK"), null],
    });
  });

  it("runs pipelines with one result or error per command, in order", async () => {
    const k = key();
    const res = await post("/pipeline", [
      ["SET", k, "v"],
      ["GET", k],
      ["INCR", k],
      ["APPEND", k, "w"],
      ["GET", k],
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual([
      { result: "OK" },
      { result: "v" },
      { error: expect.stringMatching(/not an integer/) },
      { result: 2 },
      { result: "vw" },
    ]);
  });

  it("runs multi-exec atomically, reporting per-command runtime errors", async () => {
    const k = key();
    const res = await post("/multi-exec", [
      ["SET", k, "1"],
      ["INCR", k],
      ["LPUSH", k, "x"],
      ["GET", k],
    ]);
    expect(res.body).toStrictEqual([
      { result: "OK" },
      { result: 2 },
      { error: expect.stringMatching(/WRONGTYPE/) },
      { result: "2" },
    ]);
    // A command Redis rejects while queueing aborts the whole transaction.
    const k2 = key();
    const aborted = await post("/multi-exec", [["SET", k2, "1"], ["INCR"]]);
    expect(aborted.status).toBe(400);
    expect(await direct.exists(k2)).toBe(0);
  });

  it("serves blocking commands on their own connection, without stalling others", async () => {
    const k = key();
    const started = Date.now();
    const blocking = post("/", ["BLPOP", k, 1]);
    // While BLPOP waits, ordinary commands still answer at once.
    const quick = await post("/", ["SET", `${k}:other`, "x"]);
    expect(quick.body).toStrictEqual({ result: "OK" });
    expect(Date.now() - started).toBeLessThan(900);
    await direct.rPush(k, "item");
    expect((await blocking).body).toStrictEqual({ result: [k, "item"] });
  });
});

describe("redis bridge: the stock @upstash/redis client", () => {
  // Default options: base64 response encoding and automatic JSON deserialization.
  const stock = new Redis({ url, token, enableTelemetry: false });

  it("round-trips values through base64 responses", async () => {
    const k = key();
    expect(await stock.set(k, { name: "Imbi ✓", tags: ["a", "b"], n: 1 })).toBe("OK");
    expect(await stock.get(k)).toStrictEqual({ name: "Imbi ✓", tags: ["a", "b"], n: 1 });
    await stock.set(k, "日本語 🚀 text");
    expect(await stock.get(k)).toBe("日本語 🚀 text");
    expect(await stock.ping()).toBe("PONG");
    expect(await stock.set(k, "x", { nx: true })).toBeNull();
    expect(await stock.incr(`${k}:n`)).toBe(1);
    await stock.hset(`${k}:h`, { a: "1", b: "two" });
    expect(await stock.hgetall(`${k}:h`)).toStrictEqual({ a: 1, b: "two" });
    await stock.rpush(`${k}:l`, "x", "y");
    expect(await stock.lrange(`${k}:l`, 0, -1)).toStrictEqual(["x", "y"]);
    expect(await stock.exists(k, `${k}:none`)).toBe(1);
    expect(await stock.del(k, `${k}:n`, `${k}:h`, `${k}:l`)).toBe(4);
  });

  it("runs pipelines and transactions", async () => {
    const k = key();
    const p = await stock.pipeline().set(k, 1).incr(k).get(k).exec();
    expect(p).toStrictEqual(["OK", 2, 2]);
    const m = await stock.multi().incr(k).expire(k, 60).ttl(k).exec();
    expect(m[0]).toBe(3);
    expect(m[1]).toBe(1);
    expect(m[2]).toBeGreaterThan(0);
  });

  it("surfaces refusals as errors", async () => {
    await expect(stock.flushall()).rejects.toThrow(/not allowed/);
    await expect(new Redis({ url, token: "nope", enableTelemetry: false }).get("k")).rejects.toThrow(
      /Unauthorized/,
    );
  });
});

describe("redis bridge: lifecycle", () => {
  it("listens on loopback, closes cleanly, and fails to start without Redis", async () => {
    const bridge = await startRedisBridge({ redisUrl, token: "t0k3n" });
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new Redis({ url: bridge.url, token: "t0k3n", enableTelemetry: false, retry: false });
    expect(await client.ping()).toBe("PONG");
    await bridge.close();
    await expect(client.ping()).rejects.toThrow();
    await expect(
      startRedisBridge({ redisUrl: "redis://127.0.0.1:9", token: "t", connectTimeoutMs: 200 }),
    ).rejects.toThrow(/cannot connect to redis:\/\/127\.0\.0\.1:9/);
    await expect(startRedisBridge({ redisUrl, token: "" })).rejects.toThrow(/token/);
  });
});
