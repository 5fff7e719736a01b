import { describe, expect, it } from "vitest";
import { createMemoryKv } from "../kv/memory.ts";
import { createUpstashKv } from "../kv/upstash.ts";
import {
  admitLogin,
  LOGIN_DELAY_STEP_MS,
  loginDelayMs,
  loginLimits,
  MAX_LOGIN_DELAY_MS,
  recordLoginFailure,
  recordLoginSuccess,
} from "./login_limits.ts";

const limits = loginLimits({
  IMBI_AUTH_RATE_LIMIT_LOGIN: "100/minute",
  IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES: "2/hour",
  IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT: "4/hour",
});

describe("loginDelayMs", () => {
  it("is 0 up to the ceiling, then grows by a step per failure, bounded", () => {
    const spec = { limit: 10, windowSeconds: 3600 };
    expect([0, 9, 10].map((f) => loginDelayMs(f, spec))).toEqual([0, 0, 0]);
    expect(loginDelayMs(11, spec)).toBe(LOGIN_DELAY_STEP_MS);
    expect(loginDelayMs(13, spec)).toBe(3 * LOGIN_DELAY_STEP_MS);
    expect(loginDelayMs(1_000_000, spec)).toBe(MAX_LOGIN_DELAY_MS);
  });
});

describe("admitLogin", () => {
  it("keeps the account-and-address budget per address, and a success clears it", async () => {
    const kv = createMemoryKv();
    const a = { email: "ada@example.com", ip: "192.0.2.1" };
    const b = { email: "ada@example.com", ip: "192.0.2.2" };
    expect((await admitLogin(kv, limits, a)).allowed).toBe(true);
    expect((await admitLogin(kv, limits, a)).allowed).toBe(true);
    expect(await admitLogin(kv, limits, a)).toMatchObject({
      allowed: false,
      limit: "account_address",
      firstRefusal: true,
    });
    expect(await admitLogin(kv, limits, a)).toMatchObject({ allowed: false, firstRefusal: false });
    expect((await admitLogin(kv, limits, b)).allowed).toBe(true);
    await recordLoginSuccess(kv, a);
    expect((await admitLogin(kv, limits, a)).allowed).toBe(true);
  });

  it("slows attempts on an account past its ceiling of failures, from any address", async () => {
    const kv = createMemoryKv();
    for (let i = 0; i < 6; i++)
      await recordLoginFailure(kv, limits, { email: "ada@example.com", ip: `192.0.2.${i}` });
    const d = await admitLogin(kv, limits, { email: "ada@example.com", ip: "198.51.100.1" });
    expect(d).toMatchObject({
      allowed: true,
      accountFailures: 6,
      delayMs: 2 * LOGIN_DELAY_STEP_MS,
      degraded: false,
    });
    expect(await admitLogin(kv, limits, { email: "bob@example.com", ip: "198.51.100.1" })).toMatchObject({
      delayMs: 0,
    });
  });

  it("fails open when the store is down, and says so", async () => {
    const kv = createUpstashKv({ url: "http://127.0.0.1:9", token: "t", retries: 0 });
    expect(await admitLogin(kv, limits, { email: "ada@example.com", ip: "192.0.2.1" })).toEqual({
      allowed: true,
      delayMs: 0,
      accountFailures: 0,
      degraded: true,
    });
  });
});
