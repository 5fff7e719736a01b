import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { runKvContract } from "../../test/contracts/kv.contract.ts";
import { createKv } from "./index.ts";
import { createUpstashKv } from "./upstash.ts";

const url = inject("upstashUrl");
const token = inject("upstashToken");

// Through the Upstash-REST bridge to the suite's real redis-server, with real expiry.
runKvContract("upstash via bridge → redis-server", async ({ prefix }) =>
  createUpstashKv({ url, token, prefix }),
);

describe("upstash kv", () => {
  it("is what createKv picks when a URL is configured", async () => {
    const kv = createKv({ upstashUrl: url, upstashToken: token, prefix: `t:${randomUUID()}:` });
    expect(kv.kind).toBe("upstash");
    await kv.set("k", { ok: true });
    expect(await kv.get("k")).toStrictEqual({ ok: true });
    expect(createKv({}).kind).toBe("memory");
    expect(() => createKv({ upstashUrl: url })).toThrow(/token/);
  });

  it("reports a wrong token through ping and throws on commands", async () => {
    const kv = createUpstashKv({ url, token: "wrong", prefix: "t:" });
    const res = await kv.ping();
    expect(res.err?.message).toMatch(/Unauthorized/);
    await expect(kv.get("k")).rejects.toThrow(/Unauthorized/);
  });

  it("reports an unreachable store through ping without hanging", async () => {
    const kv = createUpstashKv({ url: "http://127.0.0.1:9", token: "t", retries: 0 });
    const res = await kv.ping();
    expect(res.err).toBeInstanceOf(Error);
  });
});
