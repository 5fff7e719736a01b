// API keys (issue 10): creation rules, uniform refusal of every bad key, rotation, revocation,
// owner demotion, service-account keys, the per-key rate limit and usage counts, on real stores.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemSchema } from "../../lib/http/problem.ts";
import { apiKeys } from "../../schema/tables.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { ApiKeySchema, ApiKeyUsageSchema, ApiKeyWithSecretSchema } from "./schemas.ts";

const INVALID = "Invalid, expired or revoked API key.";

async function createKey(app: TestApp, token: string, body: Record<string, unknown>, path = "/api/api-keys") {
  const res = await app.json("POST", path, body, token);
  expect(res.status, await res.clone().text()).toBe(201);
  return ApiKeyWithSecretSchema.parse(await res.json());
}

async function expectInvalid(app: TestApp, key: string, path = "/api/users/me") {
  const res = await app.json("GET", path, undefined, key);
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const p = ProblemSchema.parse(await res.json());
  expect(p.code).toBe("UNAUTHENTICATED");
  expect(p.detail).toBe(INVALID);
}

async function addServiceAccount(app: TestApp, slug: string, memberships: { org: string; role: string }[]) {
  await app.db.graph.one(
    "CREATE (a:ServiceAccount {slug: $slug, display_name: $slug, is_active: true}) RETURN a.slug",
    { slug },
    ["slug"],
  );
  for (const m of memberships)
    await app.db.graph.one(
      `MATCH (a:ServiceAccount), (o:Organization) WHERE a.slug = $slug AND o.slug = $org
       CREATE (a)-[:MEMBER_OF {role: $role}]->(o) RETURN o.slug`,
      { slug, org: m.org, role: m.role },
      ["slug"],
    );
}

describe("API keys", () => {
  let app: TestApp;
  let dev: { email: string; token: string };
  beforeAll(async () => {
    app = await startTestApp();
    await app.org("acme");
    await app.org("globex");
    dev = await app.user("dev@keys.test", [
      { org: "acme", role: "developer" },
      { org: "globex", role: "readonly" },
    ]);
  });
  afterAll(() => app?.stop());

  it("creates a key shown once, which then authenticates as its owner", async () => {
    const created = await createKey(app, dev.token, { name: "ci", expires_in_days: 30 });
    expect(created.key).toMatch(/^ik_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`${created.key_id}_`)).toBe(true);
    expect(created.owner).toEqual({ kind: "user", id: dev.email });
    expect(created.status).toBe("active");
    const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const me = await app.json("GET", "/api/users/me", undefined, created.key);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(dev.email);
    const got = await app.json("GET", `/api/api-keys/${created.key_id}`, undefined, dev.token);
    const body = (await got.json()) as Record<string, unknown>;
    expect(ApiKeySchema.parse(body).key_id).toBe(created.key_id);
    expect(body.key).toBeUndefined();
    // Only a keyed hash is stored.
    const [row] = await app.services.db.select().from(apiKeys).where(eq(apiKeys.id, created.key_id));
    expect(row?.secretHash).toMatch(/^hmac-sha256:/);
    expect(row?.secretHash).not.toContain(created.key.slice(36));
    await app.drain();
    const audit = await app.analytics.listAudit({ event: "api_key_created", actor: dev.email });
    expect(audit.data.map((r) => r.subject)).toContain(created.key_id);
  });

  it("defaults the expiry to the configured maximum and refuses a longer one", async () => {
    const created = await createKey(app, dev.token, { name: "default-expiry" });
    const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    const res = await app.json("POST", "/api/api-keys", { name: "x", expires_in_days: 366 }, dev.token);
    expect(res.status).toBe(400);
    expect(ProblemSchema.parse(await res.json()).detail).toContain("IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS");
  });

  it("refuses malformed, unknown, wrong-secret, revoked, expired and rotated-away keys with one answer", async () => {
    const a = await createKey(app, dev.token, { name: "victim" });
    const secret = a.key.slice(a.key_id.length + 1);
    await expectInvalid(app, "ik_short");
    await expectInvalid(app, `${a.key}x`);
    await expectInvalid(app, `ik_${"0".repeat(32)}_${secret}`);
    await expectInvalid(app, `${a.key_id}_${"A".repeat(43)}`);

    const b = await createKey(app, dev.token, { name: "to-revoke" });
    expect((await app.json("DELETE", `/api/api-keys/${b.key_id}`, undefined, dev.token)).status).toBe(204);
    await expectInvalid(app, b.key);
    // Revoking again changes nothing.
    expect((await app.json("DELETE", `/api/api-keys/${b.key_id}`, undefined, dev.token)).status).toBe(204);
    // The row alone refuses it too (the kv entry is only the fast path).
    await app.kv.del(`auth:apikey:revoked:${b.key_id}`);
    await expectInvalid(app, b.key);

    const c = await createKey(app, dev.token, { name: "to-expire" });
    await app.services.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, c.key_id));
    await expectInvalid(app, c.key);

    const d = await createKey(app, dev.token, { name: "to-rotate" });
    const rotated = await app.json("POST", `/api/api-keys/${d.key_id}/rotate`, undefined, dev.token);
    expect(rotated.status).toBe(200);
    const next = ApiKeyWithSecretSchema.parse(await rotated.json());
    expect(next.key_id).toBe(d.key_id);
    expect(next.last_rotated_at).not.toBeNull();
    await expectInvalid(app, d.key);
    expect((await app.json("GET", "/api/users/me", undefined, next.key)).status).toBe(200);
  });

  it("keeps the old secret working for the grace period of a rotation, and no longer", async () => {
    const k = await createKey(app, dev.token, { name: "graceful" });
    const res = await app.json(
      "POST",
      `/api/api-keys/${k.key_id}/rotate`,
      { grace_seconds: 3600 },
      dev.token,
    );
    const next = ApiKeyWithSecretSchema.parse(await res.json());
    expect(next.previous_secret_expires_at).not.toBeNull();
    expect((await app.json("GET", "/api/users/me", undefined, k.key)).status).toBe(200);
    expect((await app.json("GET", "/api/users/me", undefined, next.key)).status).toBe(200);
    await app.services.db
      .update(apiKeys)
      .set({ previousSecretExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, k.key_id));
    await expectInvalid(app, k.key);
    const tooLong = await app.json(
      "POST",
      `/api/api-keys/${k.key_id}/rotate`,
      { grace_seconds: 86_401 },
      dev.token,
    );
    expect(tooLong.status).toBe(400);
    await app.json("DELETE", `/api/api-keys/${k.key_id}`, undefined, dev.token);
    expect((await app.json("POST", `/api/api-keys/${k.key_id}/rotate`, undefined, dev.token)).status).toBe(
      409,
    );
  });

  it("checks scopes and organizations at creation", async () => {
    const unknown = await app.json(
      "POST",
      "/api/api-keys",
      { name: "x", scopes: ["project:fly"] },
      dev.token,
    );
    expect(unknown.status).toBe(400);
    expect(ProblemSchema.parse(await unknown.json()).detail).toContain("project:fly");
    // developer grants project:create in acme but not in globex (readonly), and never user:delete.
    const notHeld = await app.json(
      "POST",
      "/api/api-keys",
      { name: "x", scopes: ["user:delete"] },
      dev.token,
    );
    expect(notHeld.status).toBe(403);
    expect(ProblemSchema.parse(await notHeld.json()).detail).toContain("user:delete");
    const wrongOrg = await app.json(
      "POST",
      "/api/api-keys",
      { name: "x", scopes: ["project:create"], organizations: ["globex"] },
      dev.token,
    );
    expect(wrongOrg.status).toBe(403);
    expect(ProblemSchema.parse(await wrongOrg.json()).detail).toContain("project:create");
    await createKey(app, dev.token, { name: "ok", scopes: ["project:create"], organizations: ["acme"] });
    await app.org("initech");
    const notMember = await app.json(
      "POST",
      "/api/api-keys",
      { name: "x", organizations: ["initech"] },
      dev.token,
    );
    expect(notMember.status).toBe(400);
    expect(ProblemSchema.parse(await notMember.json()).detail).toContain("initech");
  });

  it("limits a key to its scopes and organizations, and to its owner's current roles on every request", async () => {
    const u = await app.user("demoted@keys.test", [
      { org: "acme", role: "developer" },
      { org: "globex", role: "developer" },
    ]);
    const k = await createKey(app, u.token, {
      name: "acme-teams",
      scopes: ["team:read"],
      organizations: ["acme"],
    });
    expect((await app.json("GET", "/api/organizations/acme/teams", undefined, k.key)).status).toBe(200);
    // Wrong organization: the owner may read globex's teams, the key may not.
    expect((await app.json("GET", "/api/organizations/globex/teams", undefined, u.token)).status).toBe(200);
    expect((await app.json("GET", "/api/organizations/globex/teams", undefined, k.key)).status).toBe(403);
    // Out of scope: the owner may read environments, the key may not.
    expect((await app.json("GET", "/api/organizations/acme/environments", undefined, k.key)).status).toBe(
      403,
    );
    // The owner loses the role: the very next request with the key is refused.
    await app.db.graph.one(
      `MATCH (u:User)-[m:MEMBER_OF]->(o:Organization) WHERE u.email = $e AND o.slug = 'acme' DELETE m RETURN o.slug`,
      { e: u.email },
      ["slug"],
    );
    expect((await app.json("GET", "/api/organizations/acme/teams", undefined, k.key)).status).toBe(403);
  });

  it("never lets a key mint a wider key", async () => {
    const k = await createKey(app, dev.token, {
      name: "narrow",
      scopes: ["team:read"],
      organizations: ["acme"],
    });
    const wider = await app.json(
      "POST",
      "/api/api-keys",
      { name: "wider", scopes: ["project:create"] },
      k.key,
    );
    expect(wider.status).toBe(403);
    const otherOrg = await app.json("POST", "/api/api-keys", { name: "o", organizations: ["globex"] }, k.key);
    expect(otherOrg.status).toBe(403);
    const inherited = await createKey(app, k.key, { name: "inherits" });
    expect(inherited.scopes).toEqual(["team:read"]);
    expect(inherited.organizations).toEqual(["acme"]);
  });

  it("answers 404 for another user's key, whatever the operation", async () => {
    const other = await app.user("other@keys.test", [{ org: "acme", role: "developer" }]);
    const theirs = await createKey(app, other.token, { name: "theirs" });
    for (const [method, suffix] of [
      ["GET", ""],
      ["DELETE", ""],
      ["POST", "/rotate"],
      ["GET", "/usage"],
    ] as const) {
      const res = await app.json(method, `/api/api-keys/${theirs.key_id}${suffix}`, undefined, dev.token);
      expect(res.status, `${method} ${suffix}`).toBe(404);
    }
    expect((await app.json("GET", "/api/users/me", undefined, theirs.key)).status).toBe(200);
    const mine = await app.json("GET", "/api/api-keys?limit=500", undefined, dev.token);
    const ids = ((await mine.json()) as { data: { key_id: string }[] }).data.map((k) => k.key_id);
    expect(ids).not.toContain(theirs.key_id);
  });

  it("manages a service account's keys only with the permission, within what the account holds", async () => {
    await addServiceAccount(app, "deploy-bot", [{ org: "acme", role: "developer" }]);
    const path = "/api/service-accounts/deploy-bot/api-keys";
    expect((await app.json("POST", path, { name: "x" }, dev.token)).status).toBe(403);
    expect((await app.json("GET", path, undefined, dev.token)).status).toBe(403);
    expect(
      (await app.json("POST", "/api/service-accounts/nobody/api-keys", { name: "x" }, app.adminToken)).status,
    ).toBe(404);
    const beyond = await app.json("POST", path, { name: "x", scopes: ["user:delete"] }, app.adminToken);
    expect(beyond.status).toBe(403);
    const k = await createKey(app, app.adminToken, { name: "deploys", scopes: ["team:read"] }, path);
    expect(k.owner).toEqual({ kind: "service_account", id: "deploy-bot" });
    expect((await app.json("GET", "/api/organizations/acme/teams", undefined, k.key)).status).toBe(200);
    expect((await app.json("GET", "/api/organizations/globex/teams", undefined, k.key)).status).toBe(403);
    const listed = await app.json("GET", path, undefined, app.adminToken);
    expect(((await listed.json()) as { data: { key_id: string }[] }).data.map((x) => x.key_id)).toContain(
      k.key_id,
    );
    // A user's own route never reaches the account's keys.
    expect((await app.json("GET", `/api/api-keys/${k.key_id}`, undefined, app.adminToken)).status).toBe(404);
    const revoked = await app.json("DELETE", `${path}/${k.key_id}`, undefined, app.adminToken);
    expect(revoked.status).toBe(204);
    await expectInvalid(app, k.key, "/api/organizations/acme/teams");
  });

  it("counts requests per day, route template, method and status, and stamps last_used_at", async () => {
    const k = await createKey(app, dev.token, { name: "counted", scopes: ["team:read"] });
    for (let i = 0; i < 3; i++)
      expect((await app.json("GET", "/api/organizations/acme/teams", undefined, k.key)).status).toBe(200);
    expect((await app.json("GET", "/api/organizations/globex/environments", undefined, k.key)).status).toBe(
      403,
    );
    await app.drain();
    const res = await app.json("GET", `/api/api-keys/${k.key_id}/usage`, undefined, dev.token);
    expect(res.status).toBe(200);
    const usage = ApiKeyUsageSchema.parse(await res.json());
    const today = new Date().toISOString().slice(0, 10);
    expect(usage.to).toBe(today);
    expect(usage.data).toEqual([
      { day: today, route: "/api/organizations/{org}/environments", method: "GET", status: 403, requests: 1 },
      { day: today, route: "/api/organizations/{org}/teams", method: "GET", status: 200, requests: 3 },
    ]);
    const got = ApiKeySchema.parse(
      await (await app.json("GET", `/api/api-keys/${k.key_id}`, undefined, dev.token)).json(),
    );
    expect(got.last_used_at).not.toBeNull();
    const bad = await app.json(
      "GET",
      `/api/api-keys/${k.key_id}/usage?from=2026-01-10&to=2026-01-01`,
      undefined,
      dev.token,
    );
    expect(bad.status).toBe(400);
    for (const q of ["from=2026-02-30", "to=2026-13-01", "from=2020-01-01&to=2026-01-01"]) {
      const res = await app.json("GET", `/api/api-keys/${k.key_id}/usage?${q}`, undefined, dev.token);
      expect(res.status, q).toBe(400);
    }
  });
});

describe("API keys: per-key rate limit, embedded analytics", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ analytics: "embedded", env: { IMBI_AUTH_RATE_LIMIT_API_KEY: "3/minute" } });
    await app.org("acme");
  });
  afterAll(() => app?.stop());

  it("answers 429 with Retry-After past the limit, per key", async () => {
    const u = await app.user("limited@keys.test", [{ org: "acme", role: "developer" }]);
    const a = await createKey(app, u.token, { name: "a" });
    const b = await createKey(app, u.token, { name: "b" });
    for (let i = 0; i < 3; i++)
      expect((await app.json("GET", "/api/users/me", undefined, a.key)).status).toBe(200);
    const limited = await app.json("GET", "/api/users/me", undefined, a.key);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(ProblemSchema.parse(await limited.json()).code).toBe("RATE_LIMITED");
    // Another key of the same owner has its own budget; a wrong secret does not spend any.
    await expectInvalid(app, `${b.key_id}_${"B".repeat(43)}`);
    expect((await app.json("GET", "/api/users/me", undefined, b.key)).status).toBe(200);
    await app.drain();
    const usage = ApiKeyUsageSchema.parse(
      await (await app.json("GET", `/api/api-keys/${a.key_id}/usage`, undefined, u.token)).json(),
    );
    expect(usage.data.map((d) => [d.route, d.status, d.requests])).toEqual([["/api/users/me", 200, 3]]);
  });
});
