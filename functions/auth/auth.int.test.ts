import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needsRehash } from "../../lib/auth/password.ts";
import { ProblemSchema } from "../../lib/http/problem.ts";
import { getCredentials, setPasswordHash } from "../../lib/identity/users.ts";
import { ADMIN, startTestApp, type TestApp } from "../../test/harness/app.ts";
import { MeSchema, TokenResponseSchema } from "./schemas.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("beta");
  await app.user(
    "dev@imbi.test",
    [
      { org: "default", role: "developer" },
      { org: "beta", role: "readonly" },
    ],
    {
      password: "Dev-Passw0rd!!",
    },
  );
});
afterAll(() => app?.stop());

const login = (email: string, password: string) => app.json("POST", "/api/auth/login", { email, password });

/** Moves a used refresh token's first use back past the retry grace (a later replay is theft). */
const ageUse = async (refreshToken: string) => {
  const id = refreshToken.split(".")[0] ?? "";
  await app.db.sql`UPDATE refresh_tokens SET used_at = now() - interval '5 minutes' WHERE id = ${id}`;
};

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = ProblemSchema.parse(await res.json());
  expect(body.code).toBe(code);
  expect(body.requestId).toMatch(/^req_/);
  return body;
}

describe("login", () => {
  it("returns tokens and sets HttpOnly cookies", async () => {
    const res = await login(ADMIN.email, ADMIN.password);
    expect(res.status).toBe(200);
    const tokens = TokenResponseSchema.parse(await res.json());
    expect(tokens.expires_in).toBe(3600);
    const cookies = res.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("imbi_access=") && c.includes("HttpOnly"))).toBe(true);
    expect(cookies.some((c) => c.startsWith("imbi_refresh=") && c.includes("Path=/api/auth"))).toBe(true);
    const me = await app.json("GET", "/api/users/me", undefined, tokens.access_token);
    expect(me.status).toBe(200);
  });

  it("treats emails case-insensitively", async () => {
    expect((await login("ADMIN@imbi.test", ADMIN.password)).status).toBe(200);
  });

  it("answers wrong password and unknown email identically", async () => {
    const a = await expectProblem(await login(ADMIN.email, "wrong-Passw0rd!"), 401, "INVALID_CREDENTIALS");
    const b = await expectProblem(
      await login("nobody@imbi.test", "wrong-Passw0rd!"),
      401,
      "INVALID_CREDENTIALS",
    );
    expect(a.detail).toBe(b.detail);
  });

  it("audits success and failure in ClickHouse", async () => {
    await login(ADMIN.email, "bad-Passw0rd!1");
    await app.drain();
    const failed = await app.analytics.listAudit({ event: "login_failed", actor: ADMIN.email, limit: 10 });
    expect(failed.data.length).toBeGreaterThan(0);
    expect(failed.data[0]?.success).toBe(false);
    const ok = await app.analytics.listAudit({ event: "login", actor: ADMIN.email, limit: 10 });
    expect(ok.data.length).toBeGreaterThan(0);
  });

  it("rehashes a password stored with outdated Argon2 parameters on the next login", async () => {
    const { argon2id } = await import("hash-wasm");
    const old = await argon2id({
      password: "Legacy-Passw0rd!",
      salt: new Uint8Array(16).fill(7),
      iterations: 3,
      memorySize: 4096,
      parallelism: 1,
      hashLength: 32,
      outputType: "encoded",
    });
    await app.user("legacy@imbi.test");
    await setPasswordHash(app.db.graph, "legacy@imbi.test", old);
    expect((await login("legacy@imbi.test", "Legacy-Passw0rd!")).status).toBe(200);
    const after = await getCredentials(app.db.graph, "legacy@imbi.test");
    expect(after?.hash).not.toBe(old);
    expect(needsRehash(after?.hash ?? "")).toBe(false);
    expect((await login("legacy@imbi.test", "Legacy-Passw0rd!")).status).toBe(200);
  });

  it("accepts the access cookie instead of a bearer header", async () => {
    const res = await login(ADMIN.email, ADMIN.password);
    const cookie =
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith("imbi_access="))
        ?.split(";")[0] ?? "";
    const me = await app.request("/api/users/me", { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
  });
});

describe("refresh rotation", () => {
  it("rotates, and replaying a used refresh token revokes the whole family", async () => {
    const first = TokenResponseSchema.parse(await (await login(ADMIN.email, ADMIN.password)).json());
    const second = await app.json("POST", "/api/auth/token/refresh", { refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    const t2 = TokenResponseSchema.parse(await second.json());
    expect(t2.session_id).toBe(first.session_id);
    expect(t2.refresh_token).not.toBe(first.refresh_token);
    expect((await app.json("GET", "/api/users/me", undefined, t2.access_token)).status).toBe(200);

    // Replay the first (already used) refresh token after the retry grace: theft is assumed,
    // the family dies.
    await ageUse(first.refresh_token);
    await expectProblem(
      await app.json("POST", "/api/auth/token/refresh", { refresh_token: first.refresh_token }),
      401,
      "TOKEN_REVOKED",
    );
    // The newest refresh token and every access token of the family stop working too.
    await expectProblem(
      await app.json("POST", "/api/auth/token/refresh", { refresh_token: t2.refresh_token }),
      401,
      "TOKEN_REVOKED",
    );
    await expectProblem(
      await app.json("GET", "/api/users/me", undefined, t2.access_token),
      401,
      "TOKEN_REVOKED",
    );
    await expectProblem(
      await app.json("GET", "/api/users/me", undefined, first.access_token),
      401,
      "TOKEN_REVOKED",
    );
    await app.drain();
    const reuse = await app.analytics.listAudit({
      event: "token_reuse_detected",
      actor: ADMIN.email,
      limit: 5,
    });
    expect(reuse.data.map((r) => r.subject)).toContain(first.session_id);
  });

  it("a used token again within the grace is a retry: a fresh token of the same session, audited", async () => {
    // The web app's race: a page reloaded while its refresh was in flight never saw the answer and
    // presents the same refresh token again.
    const t = TokenResponseSchema.parse(await (await login(ADMIN.email, ADMIN.password)).json());
    const first = await app.json("POST", "/api/auth/token/refresh", { refresh_token: t.refresh_token });
    const retry = await app.json("POST", "/api/auth/token/refresh", { refresh_token: t.refresh_token });
    expect([first.status, retry.status]).toEqual([200, 200]);
    const [a, b] = [
      TokenResponseSchema.parse(await first.json()),
      TokenResponseSchema.parse(await retry.json()),
    ];
    expect(b.session_id).toBe(t.session_id);
    expect(b.refresh_token).not.toBe(a.refresh_token);
    // Both successors work (each once), and the session is alive.
    for (const next of [a, b])
      expect(
        (await app.json("POST", "/api/auth/token/refresh", { refresh_token: next.refresh_token })).status,
      ).toBe(200);
    expect((await app.json("GET", "/api/users/me", undefined, b.access_token)).status).toBe(200);
    await app.drain();
    const retried = await app.analytics.listAudit({
      event: "token_refresh_retried",
      actor: ADMIN.email,
      limit: 5,
    });
    expect(retried.data.map((r) => r.subject)).toContain(t.session_id);
  });

  it("rejects garbage and missing refresh tokens", async () => {
    await expectProblem(
      await app.json("POST", "/api/auth/token/refresh", { refresh_token: "x.y" }),
      401,
      "INVALID_CREDENTIALS",
    );
    await expectProblem(await app.json("POST", "/api/auth/token/refresh", {}), 401, "UNAUTHENTICATED");
  });
});

describe("logout", () => {
  it("revokes the current session only, or all of them", async () => {
    const a = TokenResponseSchema.parse(await (await login(ADMIN.email, ADMIN.password)).json());
    const b = TokenResponseSchema.parse(await (await login(ADMIN.email, ADMIN.password)).json());
    expect((await app.json("POST", "/api/auth/logout", undefined, a.access_token)).status).toBe(204);
    await expectProblem(
      await app.json("GET", "/api/users/me", undefined, a.access_token),
      401,
      "TOKEN_REVOKED",
    );
    expect((await app.json("GET", "/api/users/me", undefined, b.access_token)).status).toBe(200);

    const c = TokenResponseSchema.parse(await (await login(ADMIN.email, ADMIN.password)).json());
    expect(
      (await app.json("POST", "/api/auth/logout?revoke_all_sessions=true", undefined, c.access_token)).status,
    ).toBe(204);
    await expectProblem(
      await app.json("GET", "/api/users/me", undefined, b.access_token),
      401,
      "TOKEN_REVOKED",
    );
    await expectProblem(
      await app.json("POST", "/api/auth/token/refresh", { refresh_token: b.refresh_token }),
      401,
      "TOKEN_REVOKED",
    );
  });

  it("requires authentication", async () => {
    const res = await app.json("POST", "/api/auth/logout");
    await expectProblem(res, 401, "UNAUTHENTICATED");
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });
});

describe("GET /api/users/me", () => {
  it("lists memberships with permissions evaluated per organization", async () => {
    const t = TokenResponseSchema.parse(await (await login("dev@imbi.test", "Dev-Passw0rd!!")).json());
    const me = MeSchema.parse(
      await (await app.json("GET", "/api/users/me", undefined, t.access_token)).json(),
    );
    expect(me.is_admin).toBe(false);
    const byOrg = Object.fromEntries(me.organizations.map((o) => [o.slug, o]));
    expect(byOrg.default?.role).toBe("developer");
    expect(byOrg.default?.permissions).toContain("project:write");
    expect(byOrg.beta?.role).toBe("readonly");
    expect(byOrg.beta?.permissions).toContain("project:read");
    expect(byOrg.beta?.permissions).not.toContain("project:write");
    // Global resources follow the role in the system organization (here `default`, developer).
    expect(me.global_permissions).toEqual([...(byOrg.default?.permissions ?? [])].sort());
    const admin = MeSchema.parse(
      await (
        await app.json(
          "GET",
          "/api/users/me",
          undefined,
          TokenResponseSchema.parse(await (await login(ADMIN.email, ADMIN.password)).json()).access_token,
        )
      ).json(),
    );
    expect(admin.global_permissions).toEqual(expect.arrayContaining(["user:read", "service_account:read"]));
  });

  it("rejects a tampered token", async () => {
    const t = TokenResponseSchema.parse(await (await login(ADMIN.email, ADMIN.password)).json());
    const forged = `${t.access_token.slice(0, -4)}AAAA`;
    await expectProblem(await app.json("GET", "/api/users/me", undefined, forged), 401, "UNAUTHENTICATED");
    await expectProblem(
      await app.request("/api/users/me", { headers: { Authorization: "Basic abc" } }),
      401,
      "UNAUTHENTICATED",
    );
  });
});

describe("bad input", () => {
  it("malformed JSON → 400 problem", async () => {
    const res = await app.request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"email": "a@b.c", "password": ',
    });
    await expectProblem(res, 400, "MALFORMED_JSON");
  });
  it("wrong types and unknown fields → 400 naming the field", async () => {
    const wrong = await expectProblem(
      await app.json("POST", "/api/auth/login", { email: 5, password: [] }),
      400,
      "VALIDATION_FAILED",
    );
    expect(wrong.errors?.map((e) => e.location)).toEqual(
      expect.arrayContaining(["json.email", "json.password"]),
    );
    const extra = await expectProblem(
      await app.json("POST", "/api/auth/login", { email: ADMIN.email, password: "x", admin: true }),
      400,
      "VALIDATION_FAILED",
    );
    expect(extra.detail).toContain("admin");
  });
  it("non-JSON content type → 415", async () => {
    const res = await app.request("/api/auth/login", { method: "POST", body: "email=a&password=b" });
    await expectProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
  });
  it("oversized body → 413", async () => {
    const res = await app.json("POST", "/api/auth/login", {
      email: ADMIN.email,
      password: "x".repeat(2 * 1024 * 1024),
    });
    await expectProblem(res, 413, "PAYLOAD_TOO_LARGE");
  });
  it("unknown route → 404 problem", async () => {
    await expectProblem(await app.request("/api/nope"), 404, "NOT_FOUND");
    await expectProblem(await app.request("/definitely/not/here"), 404, "NOT_FOUND");
  });
});

describe("rate limits", () => {
  it("limits token refreshes per client address with 429 and Retry-After", async () => {
    const limited = await startTestApp({ env: { IMBI_AUTH_RATE_LIMIT_TOKEN_REFRESH: "2/minute" } });
    try {
      const refresh = (refresh_token: string, peer: string) =>
        limited.request(
          "/api/auth/token/refresh",
          {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ refresh_token }),
          },
          peer,
        );
      const login = await limited.json("POST", "/api/auth/login", ADMIN);
      let t = TokenResponseSchema.parse(await login.json());
      for (let i = 0; i < 2; i++) {
        const ok = await refresh(t.refresh_token, "192.0.2.10");
        expect(ok.status).toBe(200);
        t = TokenResponseSchema.parse(await ok.json());
      }
      const refused = await refresh(t.refresh_token, "192.0.2.10");
      await expectProblem(refused, 429, "RATE_LIMITED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      // Only that address: the same (still unused) refresh token works from another one.
      expect((await refresh(t.refresh_token, "192.0.2.11")).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it("limits login attempts with 429 and Retry-After", async () => {
    const limited = await startTestApp({ env: { IMBI_AUTH_RATE_LIMIT_LOGIN: "3/minute" } });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 5; i++) {
        last = await limited.json("POST", "/api/auth/login", {
          email: ADMIN.email,
          password: "wrong-Passw0rd!",
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectProblem(last as Response, 429, "RATE_LIMITED");
    } finally {
      await limited.stop();
    }
  });
});
