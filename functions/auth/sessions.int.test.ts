import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionListSchema } from "../../lib/http/session_schemas.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { TokenResponseSchema } from "./schemas.ts";

// The sessions a person can see and end, an administrator ending someone's, and the idle timeout.

let app: TestApp;
const PASSWORD = "Sess-Passw0rd!!";

beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_AUTH_SESSION_TIMEOUT_SECONDS: "3600" } });
  // Members of an ordinary organization (a role in the system organization would be global).
  await app.org("beta");
  for (const email of ["ana@imbi.test", "bo@imbi.test"]) {
    await app.user(email, [{ org: "beta", role: "admin" }], { password: PASSWORD });
    // The harness logged them in once; start from no sessions.
    await app.json("DELETE", `/api/users/${email}/sessions`, undefined, app.adminToken);
  }
});
afterAll(() => app?.stop());

/** Logs in from a device (user agent and address as the Node host would see them). */
async function loginFrom(email: string, device: string, ip: string) {
  const res = await app.request(
    "/api/auth/login",
    {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": device },
      body: JSON.stringify({ email, password: PASSWORD }),
    },
    ip,
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return TokenResponseSchema.parse(await res.json());
}

const sessions = async (token: string) => {
  const res = await app.json("GET", "/api/users/me/sessions", undefined, token);
  expect(res.status, await res.clone().text()).toBe(200);
  return SessionListSchema.parse(await res.json()).data;
};

describe("your sessions", () => {
  it("lists where you are logged in, ends one, then every other one", async () => {
    const laptop = await loginFrom("ana@imbi.test", "Firefox on the laptop", "198.51.100.10");
    const phone = await loginFrom("ana@imbi.test", "Safari on the phone", "198.51.100.20");
    const tablet = await loginFrom("ana@imbi.test", "Chrome on the tablet", "198.51.100.30");
    const seen = await sessions(laptop.access_token);
    expect(seen.map((s) => [s.user_agent, s.ip, s.current]).sort()).toEqual(
      [
        ["Chrome on the tablet", "198.51.100.30", false],
        ["Firefox on the laptop", "198.51.100.10", true],
        ["Safari on the phone", "198.51.100.20", false],
      ].sort(),
    );
    const current = seen.find((s) => s.current);
    // The idle deadline is an hour after the last use here (IMBI_AUTH_SESSION_TIMEOUT_SECONDS).
    expect(Date.parse(current?.idle_expires_at ?? "") - Date.parse(current?.last_used_at ?? "")).toBe(
      3_600_000,
    );

    // End the phone's: its refresh and access tokens stop working at once.
    expect(
      (await app.json("DELETE", `/api/users/me/sessions/${phone.session_id}`, undefined, laptop.access_token))
        .status,
    ).toBe(204);
    await expectProblem(await app.json("GET", "/api/users/me", undefined, phone.access_token), 401);
    await expectProblem(
      await app.json("POST", "/api/auth/token/refresh", { refresh_token: phone.refresh_token }),
      401,
    );
    expect((await sessions(laptop.access_token)).map((s) => s.id).sort()).toEqual(
      [laptop.session_id, tablet.session_id].sort(),
    );

    // Someone else's session, or an ended one, is not yours to end: 404 either way.
    const bo = await loginFrom("bo@imbi.test", "Bo's browser", "198.51.100.40");
    await expectProblem(
      await app.json("DELETE", `/api/users/me/sessions/${bo.session_id}`, undefined, laptop.access_token),
      404,
    );
    await expectProblem(
      await app.json("DELETE", `/api/users/me/sessions/${phone.session_id}`, undefined, laptop.access_token),
      404,
    );
    expect((await app.json("GET", "/api/users/me", undefined, bo.access_token)).status).toBe(200);

    // Log out everywhere else: only this one is left.
    const others = await app.json("DELETE", "/api/users/me/sessions", undefined, laptop.access_token);
    expect(await others.json()).toEqual({ revoked: 1 });
    await expectProblem(await app.json("GET", "/api/users/me", undefined, tablet.access_token), 401);
    expect((await sessions(laptop.access_token)).map((s) => s.id)).toEqual([laptop.session_id]);

    await app.drain();
    const audit = await app.analytics.listAudit({
      event: "session_revoked",
      actor: "ana@imbi.test",
      limit: 10,
    });
    expect(audit.data.map((r) => r.subject).sort()).toEqual(["ana@imbi.test", phone.session_id].sort());
  });

  it("are managed from a login session: an API key gets 403 and ends nothing, no credential 401", async () => {
    const me = await loginFrom("bo@imbi.test", "Bo's other browser", "198.51.100.41");
    const key = await app.json("POST", "/api/api-keys", { name: "sessions" }, me.access_token);
    const { key: apiKey } = (await key.json()) as { key: string };
    await expectProblem(await app.json("GET", "/api/users/me/sessions", undefined, apiKey), 403);
    await expectProblem(await app.json("DELETE", "/api/users/me/sessions", undefined, apiKey), 403);
    expect((await app.json("GET", "/api/users/me", undefined, me.access_token)).status).toBe(200);
    await expectProblem(await app.json("GET", "/api/users/me/sessions"), 401);
  });
});

describe("an administrator", () => {
  it("sees a user's sessions and logs them out everywhere; others may not", async () => {
    const a = await loginFrom("bo@imbi.test", "Bo at work", "198.51.100.50");
    const listed = await app.json("GET", "/api/users/bo@imbi.test/sessions", undefined, app.adminToken);
    expect(listed.status).toBe(200);
    expect(SessionListSchema.parse(await listed.json()).data.map((s) => s.id)).toContain(a.session_id);
    // An organization's admin is no administrator of users.
    const ana = await loginFrom("ana@imbi.test", "Ana", "198.51.100.60");
    await expectProblem(
      await app.json("GET", "/api/users/bo@imbi.test/sessions", undefined, ana.access_token),
      403,
    );
    await expectProblem(
      await app.json("DELETE", "/api/users/bo@imbi.test/sessions", undefined, ana.access_token),
      403,
    );

    const res = await app.json("DELETE", "/api/users/bo@imbi.test/sessions", undefined, app.adminToken);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);
    await expectProblem(await app.json("GET", "/api/users/me", undefined, a.access_token), 401);
    await expectProblem(
      await app.json("GET", "/api/users/nobody@imbi.test/sessions", undefined, app.adminToken),
      404,
    );
    // Not one's own: that is the self-service route (and would log the administrator out mid-call).
    const self = await app.json("DELETE", "/api/users/admin@imbi.test/sessions", undefined, app.adminToken);
    expect((await expectProblem(self, 400)).detail).toContain("/api/users/me/sessions");
    expect((await app.json("GET", "/api/users/me", undefined, app.adminToken)).status).toBe(200);
  });
});

describe("the idle timeout", () => {
  it("ends a session not used for IMBI_AUTH_SESSION_TIMEOUT_SECONDS, and hides it from the list", async () => {
    const idle = await loginFrom("ana@imbi.test", "Forgotten tab", "198.51.100.70");
    const active = await loginFrom("ana@imbi.test", "Busy tab", "198.51.100.71");
    await app.db
      .sql`UPDATE session_families SET last_used_at = now() - interval '2 hours' WHERE id = ${idle.session_id}`;
    expect((await sessions(active.access_token)).map((s) => s.id)).not.toContain(idle.session_id);
    const res = await app.json("POST", "/api/auth/token/refresh", { refresh_token: idle.refresh_token });
    const problem = await expectProblem(res, 401);
    expect(problem.detail).toContain("IMBI_AUTH_SESSION_TIMEOUT_SECONDS");
    const [row] = await app.db.sql<{ revoked_reason: string | null }[]>`
      SELECT revoked_reason FROM session_families WHERE id = ${idle.session_id}`;
    expect(row?.revoked_reason).toBe("idle timeout");
    // A session in use is not touched.
    expect(
      (await app.json("POST", "/api/auth/token/refresh", { refresh_token: active.refresh_token })).status,
    ).toBe(200);
  });
});
