// Login brute-force protection without a lockout switch, and the client address behind trusted
// proxies (issue 8, item 2). Addresses are RFC 5737 / RFC 3849 documentation ranges.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemSchema } from "../../lib/http/problem.ts";
import { ADMIN, startTestApp, type TestApp } from "../../test/harness/app.ts";
import { TokenResponseSchema } from "./schemas.ts";

const WRONG = "wrong-Passw0rd!";

/** One login; `from` is a Node socket peer ({ peer }) or a Workers edge address ({ cf }). */
function login(
  app: TestApp,
  email: string,
  password: string,
  from: { peer?: string; cf?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return app.request(
    "/api/auth/login",
    {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(from.cf ? { "CF-Connecting-IP": from.cf } : {}),
        ...from.headers,
      },
      body: JSON.stringify({ email, password }),
    },
    from.peer,
  );
}

async function statuses(n: number, attempt: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await attempt()).status);
  return out;
}

/** The address the server recorded for the latest failed login of `email` (an unknown one is fine). */
async function recordedIp(app: TestApp, email: string): Promise<string | undefined> {
  await app.drain();
  const page = await app.analytics.listAudit({ event: "login_failed", actor: email, limit: 1 });
  return page.data[0]?.ip;
}

describe("with the default limits (5/minute per address, 10/hour per account and address)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        IMBI_AUTH_RATE_LIMIT_LOGIN: "5/minute",
        IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES: "10/hour",
        IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT: "100/hour",
        IMBI_API_FORWARDED_ALLOW_IPS: "10.0.0.0/8, 2001:db8:a::/48",
      },
    });
  });
  afterAll(() => app?.stop());

  it("wrong passwords from one address limit that address, not the account elsewhere", async () => {
    const attacker = { cf: "203.0.113.66" };
    expect(await statuses(6, () => login(app, ADMIN.email, WRONG, attacker))).toEqual([
      401, 401, 401, 401, 401, 429,
    ]);
    // The owner still logs in from anywhere else: on Workers, and through the Node host.
    const owner = await login(app, ADMIN.email, ADMIN.password, { cf: "198.51.100.20" });
    expect(owner.status).toBe(200);
    TokenResponseSchema.parse(await owner.json());
    expect((await login(app, ADMIN.email, ADMIN.password, { peer: "192.0.2.30" })).status).toBe(200);
    // …while the attacker's address stays limited, even with the right password.
    const refused = await login(app, ADMIN.email, ADMIN.password, attacker);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(ProblemSchema.parse(await refused.json()).detail).toContain("from this address");
  });

  it("audits the first refusal of a window once", async () => {
    const email = "flood@imbi.test";
    await statuses(8, () => login(app, email, WRONG, { cf: "203.0.113.67" }));
    await app.drain();
    const rows = await app.analytics.listAudit({ event: "login_rate_limited", actor: email, limit: 10 });
    expect(rows.data.map((r) => [r.ip, r.details.limit])).toEqual([["203.0.113.67", "address"]]);
  });

  it("behind a trusted proxy, each client has its own bucket", async () => {
    const viaProxy = (client: string) => ({ peer: "10.0.0.1", headers: { "X-Forwarded-For": client } });
    expect(await statuses(6, () => login(app, "p1@imbi.test", WRONG, viaProxy("203.0.113.1")))).toEqual([
      401, 401, 401, 401, 401, 429,
    ]);
    // Another user behind the same proxy is not limited by the first one's attempts.
    expect((await login(app, "p2@imbi.test", WRONG, viaProxy("203.0.113.2"))).status).toBe(401);
    expect(await recordedIp(app, "p2@imbi.test")).toBe("203.0.113.2");
  });

  it("an untrusted peer cannot pick its bucket with forwarding headers", async () => {
    let n = 0;
    const spoofing = () => ({
      peer: "198.51.100.7",
      headers: { "X-Forwarded-For": `203.0.113.${100 + ++n}`, Forwarded: `for=203.0.113.${200 + n}` },
    });
    expect(await statuses(6, () => login(app, "spoof@imbi.test", WRONG, spoofing()))).toEqual([
      401, 401, 401, 401, 401, 429,
    ]);
    expect(await recordedIp(app, "spoof@imbi.test")).toBe("198.51.100.7");
  });

  it("through a trusted proxy, addresses the client wrote itself are ignored", async () => {
    await login(app, "chain@imbi.test", WRONG, {
      peer: "10.0.0.2",
      headers: { "X-Forwarded-For": "10.9.9.9, 6.6.6.6, 203.0.113.3, 10.0.0.1" },
    });
    expect(await recordedIp(app, "chain@imbi.test")).toBe("203.0.113.3");
  });

  it("handles IPv6 and IPv4-mapped peers, and RFC 7239 Forwarded", async () => {
    await login(app, "v6a@imbi.test", WRONG, {
      peer: "::ffff:10.1.1.1",
      headers: { "X-Forwarded-For": "2001:db8:c::9" },
    });
    expect(await recordedIp(app, "v6a@imbi.test")).toBe("2001:db8:c::9");
    await login(app, "v6b@imbi.test", WRONG, {
      peer: "2001:db8:a::1",
      headers: { Forwarded: 'for=6.6.6.6, for="[2001:db8:b::5]:4711";proto=https' },
    });
    expect(await recordedIp(app, "v6b@imbi.test")).toBe("2001:db8:b::5");
    // A mapped peer outside the trusted ranges is its IPv4 address, headers ignored.
    await login(app, "v6c@imbi.test", WRONG, {
      peer: "::ffff:192.0.2.44",
      headers: { "X-Forwarded-For": "6.6.6.6" },
    });
    expect(await recordedIp(app, "v6c@imbi.test")).toBe("192.0.2.44");
  });

  it("on Workers, a client-sent X-Forwarded-For never replaces CF-Connecting-IP by default", async () => {
    const plain = await startTestApp({ env: { IMBI_AUTH_RATE_LIMIT_LOGIN: "1000/minute" } });
    try {
      await login(plain, "edge@imbi.test", WRONG, {
        cf: "203.0.113.50",
        headers: { "X-Forwarded-For": "6.6.6.6" },
      });
      expect(await recordedIp(plain, "edge@imbi.test")).toBe("203.0.113.50");
      // Nothing trusted: a Node peer in 10/8 is the client, whatever it forwards.
      await login(plain, "node@imbi.test", WRONG, {
        peer: "10.0.0.1",
        headers: { "X-Forwarded-For": "6.6.6.6" },
      });
      expect(await recordedIp(plain, "node@imbi.test")).toBe("10.0.0.1");
    } finally {
      await plain.stop();
    }
  });

  it("records the resolved address on the session", async () => {
    const res = await login(app, ADMIN.email, ADMIN.password, {
      peer: "10.0.0.3",
      headers: { "X-Forwarded-For": "203.0.113.77" },
    });
    expect(res.status).toBe(200);
    const { session_id } = TokenResponseSchema.parse(await res.json());
    const rows = await app.db.sql<{ ip: string }[]>`SELECT ip FROM session_families WHERE id = ${session_id}`;
    expect(rows[0]?.ip).toBe("203.0.113.77");
  });
});

describe("failed logins per account and address", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        IMBI_AUTH_RATE_LIMIT_LOGIN: "1000/minute",
        IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES: "3/hour",
        IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT: "1000/hour",
      },
    });
    await app.user("ada@imbi.test", [], { password: "Ada-Passw0rd!!" });
  });
  afterAll(() => app?.stop());

  it("refuses that account from that address only", async () => {
    const a = { cf: "203.0.113.10" };
    expect(await statuses(3, () => login(app, "ada@imbi.test", WRONG, a))).toEqual([401, 401, 401]);
    const refused = await login(app, "ada@imbi.test", "Ada-Passw0rd!!", a);
    expect(refused.status).toBe(429);
    expect(ProblemSchema.parse(await refused.json()).detail).toContain("for this account from this address");
    // The same address may still log in to another account; the account from elsewhere too.
    expect((await login(app, ADMIN.email, ADMIN.password, a)).status).toBe(200);
    expect((await login(app, "ada@imbi.test", "Ada-Passw0rd!!", { cf: "203.0.113.11" })).status).toBe(200);
  });

  it("a successful login clears the address's failures for that account", async () => {
    const c = { cf: "203.0.113.12" };
    expect(await statuses(2, () => login(app, "ada@imbi.test", WRONG, c))).toEqual([401, 401]);
    expect((await login(app, "ada@imbi.test", "Ada-Passw0rd!!", c)).status).toBe(200);
    expect(await statuses(4, () => login(app, "ada@imbi.test", WRONG, c))).toEqual([401, 401, 401, 429]);
  });
});

describe("the per-account ceiling of failed logins", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        IMBI_AUTH_RATE_LIMIT_LOGIN: "1000/minute",
        IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES: "1000/hour",
        IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT: "3/hour",
      },
    });
    await app.user("grace@imbi.test", [], { password: "Grace-Passw0rd!!" });
  });
  afterAll(() => app?.stop());

  it("slows a distributed guesser and the owner alike, but refuses no one", async () => {
    // Four addresses, one guess each: three failures fill the ceiling, the fourth passes it.
    const delays: (string | null)[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await login(app, "grace@imbi.test", WRONG, { cf: `203.0.113.${i}` });
      expect(res.status).toBe(401);
      delays.push(res.headers.get("x-login-delay"));
    }
    expect(delays).toEqual([null, null, null, null, "250"]);
    const owner = await login(app, "grace@imbi.test", "Grace-Passw0rd!!", { cf: "198.51.100.99" });
    expect(owner.status).toBe(200);
    expect(owner.headers.get("x-login-delay")).toBe("500");
    await app.drain();
    const rows = await app.analytics.listAudit({
      event: "login_throttled",
      actor: "grace@imbi.test",
      limit: 10,
    });
    expect(rows.data.map((r) => [r.ip, r.details.delay_ms]).sort()).toEqual([
      ["198.51.100.99", 500],
      ["203.0.113.5", 250],
    ]);
    // Other accounts are not slowed.
    const other = await login(app, ADMIN.email, ADMIN.password, { cf: "203.0.113.5" });
    expect(other.status).toBe(200);
    expect(other.headers.get("x-login-delay")).toBeNull();
  });

  it("treats unknown emails the same, so throttling reveals no accounts", async () => {
    const seen: (string | null)[] = [];
    for (let i = 1; i <= 5; i++)
      seen.push(
        (await login(app, "nobody@imbi.test", WRONG, { cf: `198.51.100.${i}` })).headers.get("x-login-delay"),
      );
    expect(seen).toEqual([null, null, null, null, "250"]);
  });
});
