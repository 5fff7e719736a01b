import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueSession } from "../../lib/auth/tokens.ts";
import { ADMIN, startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import { UserDetailSchema, UserPageSchema } from "./schemas.ts";

let app: TestApp;
let dev: { email: string; password: string; token: string };
beforeAll(async () => {
  app = await startTestApp();
  dev = await app.user("dev@imbi.test", [{ org: "default", role: "developer" }]);
});
afterAll(() => app?.stop());

const admin = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  app.json(method, path, body, app.adminToken, headers);
const patchUser = (
  email: string,
  ops: unknown,
  token = app.adminToken,
  headers: Record<string, string> = {},
) =>
  app.request(`/api/users/${encodeURIComponent(email)}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json-patch+json", Authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(ops),
  });
const newSession = async (email: string) =>
  (await issueSession(app.services, email, { ip: "127.0.0.1", userAgent: "test" })).access_token;
const whoami = (token: string) => app.json("GET", "/api/users/me", undefined, token);
const auditOf = async (event: string) => {
  await app.drain();
  return (await app.analytics.listAudit({ event, limit: 50 })).data;
};

describe("create and read users", () => {
  it("creates with 201, a normalised email, Location and ETag", async () => {
    const res = await admin("POST", "/api/users", {
      email: "Ada@Example.COM",
      display_name: "Ada",
      password: "Corr3ct-Horse!",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/users/ada%40example.com");
    const user = UserDetailSchema.parse(await res.json());
    expect(user).toMatchObject({
      email: "ada@example.com",
      is_admin: false,
      is_active: true,
      organizations: [],
    });
    const got = await admin("GET", "/api/users/ADA%40example.com");
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
    expect((await auditOf("user_created")).some((r) => r.subject === "ada@example.com")).toBe(true);
  });

  it("lists every broken password rule", async () => {
    const res = await admin("POST", "/api/users", {
      email: "weak@imbi.test",
      display_name: "W",
      password: "abc",
    });
    const problem = await expectProblem(res, 400, "VALIDATION_FAILED");
    const messages = problem.errors?.filter((e) => e.location === "json.password").map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("at least"),
        expect.stringContaining("uppercase"),
        expect.stringContaining("digit"),
        expect.stringContaining("special"),
      ]),
    );
  });

  it.each([
    ["a bad email", { email: "not-an-email", display_name: "x" }],
    ["an empty display_name", { email: "e@imbi.test", display_name: "" }],
    ["a non-boolean is_admin", { email: "e@imbi.test", display_name: "x", is_admin: "yes" }],
    ["an unknown field", { email: "e@imbi.test", display_name: "x", role: "admin" }],
    ["no body fields", {}],
  ])("rejects %s with 400", async (_, body) => {
    await expectProblem(await admin("POST", "/api/users", body), 400, "VALIDATION_FAILED");
  });

  it("answers 409 for a duplicate email regardless of case", async () => {
    await expectProblem(
      await admin("POST", "/api/users", { email: "DEV@imbi.test", display_name: "x" }),
      409,
    );
  });

  it("keeps user management for global grants, but lets users read themselves", async () => {
    await expectProblem(
      await app.json("POST", "/api/users", { email: "x@imbi.test", display_name: "x" }, dev.token),
      403,
    );
    // A developer of the system organization ('default') holds user:read globally (ADR 0009) …
    expect((await app.json("GET", "/api/users", undefined, dev.token)).status).toBe(200);
    expect((await app.json("GET", `/api/users/${ADMIN.email}`, undefined, dev.token)).status).toBe(200);
    // … a developer of any other organization does not.
    await app.org("elsewhere");
    const outsider = await app.user("outsider@imbi.test", [{ org: "elsewhere", role: "developer" }]);
    await expectProblem(await app.json("GET", "/api/users", undefined, outsider.token), 403);
    await expectProblem(await app.json("GET", `/api/users/${ADMIN.email}`, undefined, outsider.token), 403);
    await expectProblem(await app.json("GET", "/api/users", undefined, "garbage"), 401);
    const self = await app.json("GET", "/api/users/dev%40imbi.test", undefined, dev.token);
    const body = UserDetailSchema.parse(await self.json());
    expect(body.organizations).toEqual([{ slug: "default", name: "Default", role: "developer" }]);
    await expectProblem(await admin("GET", "/api/users/ghost%40imbi.test"), 404);
    await expectProblem(await admin("GET", "/api/users/not-an-email"), 400);
  });

  it("filters and pages the user list", async () => {
    for (let i = 0; i < 6; i++) await app.user(`page${i}@imbi.test`);
    const all = UserPageSchema.parse(await (await admin("GET", "/api/users?limit=500")).json()).data;
    const get = (p: string) => admin("GET", p);
    for (const via of ["cursor", "link"] as const)
      expect(
        (await walkPages<{ email: string }>(get, "/api/users?limit=4", via)).map((u) => u.email),
      ).toEqual(all.map((u) => u.email));
    const admins = UserPageSchema.parse(await (await admin("GET", "/api/users?is_admin=true")).json()).data;
    expect(admins.map((u) => u.email)).toEqual([ADMIN.email]);
    await expectProblem(await admin("GET", "/api/users?is_admin=maybe"), 400);
    await expectProblem(await admin("GET", "/api/users?role=admin"), 400);
    await expectProblem(await admin("GET", "/api/users?cursor=%7B%7D"), 400);
  });
});

describe("update and delete users", () => {
  it("lets users rename themselves but not promote themselves", async () => {
    const u = await app.user("self@imbi.test");
    const ok = await patchUser(u.email, [{ op: "replace", path: "/display_name", value: "Me" }], u.token);
    expect(UserDetailSchema.parse(await ok.json()).display_name).toBe("Me");
    const promote = await patchUser(u.email, [{ op: "replace", path: "/is_admin", value: true }], u.token);
    await expectProblem(promote, 403);
    await expectProblem(
      await patchUser(dev.email, [{ op: "replace", path: "/display_name", value: "x" }], u.token),
      403,
    );
  });

  it.each([
    [[{ op: "replace", path: "/email", value: "x@imbi.test" }], 400],
    [[{ op: "add", path: "/organizations/-", value: { slug: "default", name: "D", role: "admin" } }], 400],
    [[{ op: "replace", path: "/updated_at", value: "now" }], 400],
    [[{ op: "replace", path: "/is_active", value: "no" }], 400],
    [[{ op: "add", path: "/password_hash", value: "x" }], 400],
    [[{ op: "test", path: "/display_name", value: "someone else" }], 422],
  ])("patch %j → %i", async (ops, status) => {
    await expectProblem(await patchUser(dev.email, ops), status);
  });

  it("honours If-Match and accepts application/json", async () => {
    const tag = (await admin("GET", "/api/users/dev%40imbi.test")).headers.get("etag") ?? "";
    const ops = [{ op: "replace", path: "/display_name", value: "Developer" }];
    await expectProblem(await patchUser(dev.email, ops, app.adminToken, { "If-Match": '"nope"' }), 412);
    const res = await admin("PATCH", "/api/users/dev%40imbi.test", ops, { "If-Match": tag });
    expect(res.status).toBe(200);
    expect(UserDetailSchema.parse(await res.json()).display_name).toBe("Developer");
  });

  it("promotes with an audit row and deactivation revokes every session", async () => {
    const u = await app.user("flip@imbi.test");
    const promoted = await patchUser(u.email, [{ op: "replace", path: "/is_admin", value: true }]);
    expect(UserDetailSchema.parse(await promoted.json()).is_admin).toBe(true);
    expect((await auditOf("role_changed")).some((r) => r.subject === u.email)).toBe(true);
    await patchUser(u.email, [{ op: "replace", path: "/is_active", value: false }]);
    await patchUser(u.email, [{ op: "replace", path: "/is_active", value: true }]);
    await expectProblem(await whoami(u.token), 401, "TOKEN_REVOKED");
    const updates = await auditOf("user_updated");
    expect(updates.some((r) => r.subject === u.email && "is_active" in r.details)).toBe(true);
    await expectProblem(
      await patchUser(ADMIN.email, [{ op: "replace", path: "/is_admin", value: false }]),
      400,
    );
  });

  it("stores injection-looking display names verbatim", async () => {
    for (const [i, text] of INJECTIONS.entries()) {
      const res = await admin("POST", "/api/users", { email: `inj${i}@imbi.test`, display_name: text });
      expect(UserDetailSchema.parse(await res.json()).display_name).toBe(text);
      const patched = await patchUser(`inj${i}@imbi.test`, [
        { op: "replace", path: "/display_name", value: `${text}2` },
      ]);
      expect(UserDetailSchema.parse(await patched.json()).display_name).toBe(`${text}2`);
    }
    expect((await admin("GET", "/api/users/dev%40imbi.test")).status).toBe(200);
    expect((await admin("GET", "/api/organizations/default")).status).toBe(200);
  });

  it("deletes others (revoking their sessions) but never yourself", async () => {
    const u = await app.user("gone@imbi.test", [{ org: "default", role: "default" }]);
    await expectProblem(await app.json("DELETE", "/api/users/gone%40imbi.test", undefined, dev.token), 403);
    expect((await admin("DELETE", "/api/users/gone%40imbi.test")).status).toBe(204);
    await expectProblem(await whoami(u.token), 401);
    await expectProblem(await admin("DELETE", "/api/users/gone%40imbi.test"), 404);
    await expectProblem(await admin("DELETE", `/api/users/${encodeURIComponent(ADMIN.email)}`), 400);
    expect((await auditOf("user_deleted")).some((r) => r.subject === u.email)).toBe(true);
  });
});

describe("change password", () => {
  const change = (email: string, body: unknown, token: string) =>
    app.json("POST", `/api/users/${encodeURIComponent(email)}/password`, body, token);
  const login = (email: string, password: string) => app.json("POST", "/api/auth/login", { email, password });

  it("needs the right current password, with one answer for missing and wrong", async () => {
    const u = await app.user("pw@imbi.test");
    const missing = await expectProblem(
      await change(u.email, { new_password: "N3w-Passw0rd!!" }, u.token),
      400,
    );
    const wrong = await expectProblem(
      await change(u.email, { current_password: "Wr0ng-Passw0rd!", new_password: "N3w-Passw0rd!!" }, u.token),
      400,
    );
    expect(wrong.detail).toBe(missing.detail);
    const weak = await change(u.email, { current_password: u.password, new_password: "short" }, u.token);
    expect((await expectProblem(weak, 400)).errors?.[0]?.location).toBe("json.new_password");
  });

  it("changes it, keeps this session and revokes the others", async () => {
    const u = await app.user("pw2@imbi.test");
    const other = await newSession(u.email);
    const res = await change(
      u.email,
      { current_password: u.password, new_password: "N3w-Passw0rd!!" },
      u.token,
    );
    expect(res.status).toBe(204);
    expect((await whoami(u.token)).status).toBe(200);
    await expectProblem(await whoami(other), 401, "TOKEN_REVOKED");
    expect((await login(u.email, "N3w-Passw0rd!!")).status).toBe(200);
    await expectProblem(await login(u.email, u.password), 401);
    expect((await auditOf("password_changed")).some((r) => r.subject === u.email)).toBe(true);
  });

  it("lets administrators reset others without the current password", async () => {
    const u = await app.user("pw3@imbi.test");
    await expectProblem(await change(u.email, { new_password: "R3set-Passw0rd!" }, dev.token), 403);
    expect((await change(u.email, { new_password: "R3set-Passw0rd!" }, app.adminToken)).status).toBe(204);
    await expectProblem(await whoami(u.token), 401, "TOKEN_REVOKED");
    expect((await login(u.email, "R3set-Passw0rd!")).status).toBe(200);
    await expectProblem(await change(u.email, { new_password: "x", extra: 1 }, app.adminToken), 400);
  });

  it("lets user:update held globally reset others, and not user:update held in another organization", async () => {
    const made = await admin("POST", "/api/roles", {
      slug: "user-manager",
      name: "User manager",
      permissions: ["user:update"],
    });
    expect(made.status).toBe(201);
    await app.org("branch");
    const local = await app.user("local-manager@imbi.test", [{ org: "branch", role: "user-manager" }]);
    const global = await app.user("global-manager@imbi.test", [{ org: "default", role: "user-manager" }]);
    const u = await app.user("pw4@imbi.test");
    const refused = await expectProblem(
      await change(u.email, { new_password: "R3set-Passw0rd!" }, local.token),
      403,
    );
    expect(refused.detail).toContain("user:update is required globally");
    expect((await change(u.email, { new_password: "R3set-Passw0rd!" }, global.token)).status).toBe(204);
    expect((await login(u.email, "R3set-Passw0rd!")).status).toBe(200);
    const row = (await auditOf("password_changed")).find((r) => r.subject === u.email);
    expect(row?.actor).toBe(global.email);
  });
});
