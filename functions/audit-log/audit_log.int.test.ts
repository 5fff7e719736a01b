// GET /api/audit-log over real stores (both databases; ClickHouse for the analytics, the suite's
// shared database, so every assertion filters by this file's own organizations and people).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsRow } from "../../lib/analytics/types.ts";
import { listAuditLog } from "../../lib/audit/audit_verbs.ts";
import { resolveOrg } from "../../lib/catalog/org.ts";
import { createTeam } from "../../lib/catalog/team_verbs.ts";
import { type Actor, credentialActor } from "../../lib/core/actor.ts";
import { createCtx } from "../../lib/core/ctx.ts";
import { DomainError } from "../../lib/errors.ts";
import { createRole } from "../../lib/identity/roles.ts";
import { ADMIN, startTestApp, type TestApp } from "../../test/harness/app.ts";
import { AuditEntryPageSchema } from "./schemas.ts";

let app: TestApp;
const tag = crypto.randomUUID().slice(0, 8);
const ORG_A = `aud-${tag}-a`;
const ORG_B = `aud-${tag}-b`;
const email = (name: string) => `${name}-${tag}@imbi.test`;
let auditor: string; // audit_log:read in ORG_A only
let nobody: string; // a member of ORG_A without audit_log:read

beforeAll(async () => {
  app = await startTestApp();
  await app.org(ORG_A);
  await app.org(ORG_B);
  await createRole(app.db.graph, {
    slug: `auditor-${tag}`,
    name: "Auditor",
    permissions: ["audit_log:read", "team:create", "team:read"],
  });
  auditor = (await app.user(email("auditor"), [{ org: ORG_A, role: `auditor-${tag}` }])).token;
  nobody = (await app.user(email("nobody"), [{ org: ORG_A, role: "readonly" }])).token;
});
afterAll(() => app?.stop());

type Page = ReturnType<typeof AuditEntryPageSchema.parse>;

async function list(query: Record<string, string>, token = app.adminToken): Promise<Page> {
  const res = await app.json("GET", `/api/audit-log?${new URLSearchParams(query)}`, undefined, token);
  expect(res.status, await res.clone().text()).toBe(200);
  return AuditEntryPageSchema.parse(await res.json());
}

async function problem(query: Record<string, string>, token = app.adminToken) {
  const res = await app.json("GET", `/api/audit-log?${new URLSearchParams(query)}`, undefined, token);
  expect(res.headers.get("Content-Type")).toMatch(/problem\+json/);
  return {
    status: res.status,
    body: (await res.json()) as { code: string; detail: string; errors?: unknown },
  };
}

describe("rows written by real requests", () => {
  it("name the actor, its kind and the credential: login, refresh, membership change, logout, reuse", async () => {
    const ada = await app.user(email("ada"));
    const login = await app.json("POST", "/api/auth/login", { email: ada.email, password: ada.password });
    expect(login.status).toBe(200);
    const tokens = (await login.json()) as {
      access_token: string;
      refresh_token: string;
      session_id: string;
    };
    const refreshed = await app.json("POST", "/api/auth/token/refresh", {
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { access_token: string; session_id: string };
    // The used refresh token again, after the retry grace: reuse, which revokes the session.
    const usedId = tokens.refresh_token.split(".")[0] ?? "";
    await app.db.sql`UPDATE refresh_tokens SET used_at = now() - interval '5 minutes' WHERE id = ${usedId}`;
    const reuse = await app.json("POST", "/api/auth/token/refresh", { refresh_token: tokens.refresh_token });
    expect(reuse.status).toBe(401);

    // The administrator logs in (its own session) and adds a membership with that session.
    const adminLogin = await app.json("POST", "/api/auth/login", ADMIN);
    const admin = (await adminLogin.json()) as { access_token: string; session_id: string };
    const added = await app.json(
      "POST",
      `/api/users/${encodeURIComponent(ada.email)}/organizations`,
      { organization: ORG_B, role: "readonly" },
      admin.access_token,
    );
    expect(added.status).toBe(201);
    const out = await app.json("POST", "/api/auth/logout", undefined, admin.access_token);
    expect(out.status).toBe(204);
    await app.drain();

    const session = `password:${tokens.session_id}`;
    const mine = (await list({ actor: ada.email })).data;
    const byEvent = (event: string) => mine.filter((r) => r.event === event);
    expect(byEvent("login")).toEqual([
      expect.objectContaining({ actor: ada.email, actor_kind: "user", credential: session, success: true }),
    ]);
    expect(byEvent("token_issued")[0]).toMatchObject({ actor_kind: "user", credential: session });
    expect(byEvent("token_refreshed")).toEqual([
      expect.objectContaining({ actor_kind: "user", credential: `refresh:${next.session_id}` }),
    ]);
    expect(byEvent("token_reuse_detected")).toEqual([
      expect.objectContaining({
        actor_kind: "user",
        credential: `refresh:${tokens.session_id}`,
        success: false,
      }),
    ]);

    const membership = (await list({ event: "membership_added", organization: ORG_B })).data;
    expect(membership).toEqual([
      expect.objectContaining({
        actor: ADMIN.email,
        actor_kind: "user",
        credential: `password:${admin.session_id}`,
        subject: ada.email,
        organization: ORG_B,
      }),
    ]);
    // The same session's rows, by the exact credential filter.
    const bySession = (await list({ credential: `password:${admin.session_id}` })).data;
    expect(bySession.map((r) => r.event).sort()).toEqual([
      "login",
      "membership_added",
      "token_issued",
      "token_revoked",
    ]);
    expect(bySession.find((r) => r.event === "token_revoked")?.subject).toBe(admin.session_id);
  });

  it("name a refused login's email as an anonymous actor without a credential", async () => {
    const who = email("typo");
    const res = await app.json("POST", "/api/auth/login", { email: who, password: "Wr0ng!pass-word" });
    expect(res.status).toBe(401);
    await app.drain();
    expect((await list({ actor: who, event: "login_failed" })).data).toEqual([
      expect.objectContaining({ actor_kind: "anonymous", credential: "", success: false }),
    ]);
  });
});

describe("a verb called by a service account", () => {
  it("writes actor_kind=service_account and the API key, and the account reads its organization's rows", async () => {
    const slug = `ci-bot-${tag}`;
    await app.db.graph.query(
      `MATCH (o:Organization) WHERE o.slug = $org
       CREATE (:ServiceAccount {slug: $slug, is_active: true})-[:MEMBER_OF {role: $role}]->(o)`,
      { org: ORG_A, slug, role: `auditor-${tag}` },
    );
    const bot: Actor = credentialActor(
      {
        kind: "service_account",
        id: slug,
        credential: { method: "api_key", keyId: `ik_${tag}` },
        scopes: null,
        organizations: null,
      },
      false,
    );
    const ctx = createCtx({ services: app.services, actor: bot, org: await resolveOrg(app.db.graph, ORG_A) });
    await createTeam(ctx, { slug: `bots-${tag}`, name: "Bots" });
    await app.drain();

    const page = await listAuditLog(createCtx({ services: app.services, actor: bot }), {
      credential: `api_key:ik_${tag}`,
      limit: 10,
    });
    expect(page.data).toEqual([
      expect.objectContaining({
        event: "team_created",
        actor: slug,
        actor_kind: "service_account",
        credential: `api_key:ik_${tag}`,
        organization: ORG_A,
        subject: `bots-${tag}`,
      }),
    ]);
    // Held in ORG_A only: ORG_B is refused, and the unfiltered list holds ORG_A rows only.
    await expect(
      listAuditLog(createCtx({ services: app.services, actor: bot }), { organization: ORG_B, limit: 10 }),
    ).rejects.toSatisfy((e) => e instanceof DomainError && e.code === "FORBIDDEN");
    const all = await listAuditLog(createCtx({ services: app.services, actor: bot }), { limit: 500 });
    expect(all.data.length).toBeGreaterThan(0);
    expect(new Set(all.data.map((r) => r.organization))).toEqual(new Set([ORG_A]));
  });
});

describe("filters, pages and who may read", () => {
  const base = Date.UTC(2031, 0, 1);
  const at = (i: number) => new Date(base + i * 1000).toISOString();
  beforeAll(async () => {
    const rows: AnalyticsRow<"audit_log">[] = [];
    for (let i = 0; i < 14; i++)
      rows.push({
        id: `aud_${tag}_${String(i).padStart(2, "0")}`,
        // Pairs share an instant, so ties are broken by id across page edges.
        occurred_at: at(Math.floor(i / 2)),
        event: i % 3 === 0 ? "membership_added" : "team_created",
        actor: i % 2 ? email("ada") : email("bob"),
        actor_kind: "user",
        credential: `password:s${i % 4}-${tag}`,
        organization: i < 10 ? ORG_A : ORG_B,
      });
    rows.push({ id: `aud_${tag}_global`, occurred_at: at(3), event: "user_created", actor: email("bob") });
    expect((await app.analytics.insert("audit_log", rows)).err).toBeUndefined();
  });
  const ids = (p: Page) => p.data.map((r) => r.id.replace(`aud_${tag}_`, ""));
  const window = { from: at(0), to: at(7) };

  it("filter by actor, action, organization, credential and [from, to)", async () => {
    expect(ids(await list({ ...window, organization: ORG_B }))).toEqual(["13", "12", "11", "10"]);
    expect(ids(await list({ ...window, organization: ORG_A, event: "membership_added" }))).toEqual([
      "09",
      "06",
      "03",
      "00",
    ]);
    expect(ids(await list({ ...window, actor: email("bob"), organization: ORG_B }))).toEqual(["12", "10"]);
    expect(ids(await list({ ...window, credential: `password:s1-${tag}` }))).toEqual([
      "13",
      "09",
      "05",
      "01",
    ]);
    expect(ids(await list({ ...window, actor: email("bob"), event: "user_created" }))).toEqual(["global"]);
    expect(ids(await list({ organization: ORG_A, from: at(1), to: at(3) }))).toEqual([
      "05",
      "04",
      "03",
      "02",
    ]);
    expect(ids(await list({ organization: ORG_A, from: "2031-01-01T05:45:02+05:45", to: at(3) }))).toEqual([
      "05",
      "04",
    ]);
  });

  it("pages newest first without duplicates or gaps, with Link headers, across ties", async () => {
    const all = ids(await list({ ...window, limit: "500" }));
    expect(all).toHaveLength(15);
    const seen: string[] = [];
    let path: string | null = `/api/audit-log?${new URLSearchParams({ ...window, limit: "4" })}`;
    let pages = 0;
    while (path) {
      const res = await app.json("GET", path, undefined, app.adminToken);
      expect(res.status).toBe(200);
      const page = AuditEntryPageSchema.parse(await res.json());
      seen.push(...ids(page));
      const link = res.headers.get("Link");
      expect(link === null).toBe(page.next_cursor === null);
      path = link ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null) : null;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(all);
  });

  it("refuses bad filters and a cursor of other filters with a 400 naming the field", async () => {
    const first = await list({ ...window, organization: ORG_A, limit: "2" });
    expect(first.next_cursor).not.toBeNull();
    const cursor = first.next_cursor as string;
    expect((await list({ ...window, organization: ORG_A, limit: "3", cursor })).data).toHaveLength(3);
    // An empty window is a valid question with an empty answer.
    expect((await list({ from: at(5), to: at(5) })).data).toEqual([]);
    const other = await problem({ ...window, organization: ORG_B, cursor });
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toMatch(/cursor/);
    expect(other.body.detail).toMatch(/other filters/);
    for (const [q, field] of [
      [{ from: "yesterday" }, "from"],
      [{ to: "2024-13-01T00:00:00Z" }, "to"],
      [{ event: "Login!" }, "event"],
      [{ organization: "Not A Slug" }, "organization"],
      [{ limit: "0" }, "limit"],
      [{ cursor: "not-a-cursor" }, "cursor"],
      [{ actions: "login" }, "actions"],
    ] as [Record<string, string>, string][]) {
      const p = await problem(q);
      expect(p.status, JSON.stringify(q)).toBe(400);
      expect(JSON.stringify(p.body), JSON.stringify(q)).toContain(field);
    }
  });

  it("limits a holder in some organizations to theirs; refuses others with 403 and strangers with 401", async () => {
    const mine = await list({ ...window, limit: "500" }, auditor);
    expect(ids(mine)).toEqual(["09", "08", "07", "06", "05", "04", "03", "02", "01", "00"]);
    const unfiltered = await list({ limit: "500" }, auditor);
    expect(new Set(unfiltered.data.map((r) => r.organization))).toEqual(new Set([ORG_A]));
    expect(ids(await list({ ...window, organization: ORG_A, actor: email("ada") }, auditor))).toEqual([
      "09",
      "07",
      "05",
      "03",
      "01",
    ]);
    expect((await problem({ organization: ORG_B }, auditor)).status).toBe(403);
    expect((await problem({}, nobody)).status).toBe(403);
    expect((await problem({ organization: ORG_A }, nobody)).status).toBe(403);
    const anonymous = await app.request("/api/audit-log");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("Content-Type")).toMatch(/problem\+json/);
  });
});

describe("while the analytics store is down", () => {
  it("answers 503 problem+json with Retry-After, not a 500", async () => {
    const { createServer } = await import("node:net");
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const addr = srv.address();
    const port = typeof addr === "object" && addr ? addr.port : 1;
    await new Promise<void>((r) => srv.close(() => r()));
    const down = await startTestApp({ clickhouseUrl: `http://127.0.0.1:${port}/imbi` });
    try {
      const res = await down.json("GET", "/api/audit-log", undefined, down.adminToken);
      expect(res.status).toBe(503);
      expect(res.headers.get("Content-Type")).toMatch(/problem\+json/);
      expect(res.headers.get("Retry-After")).toBe("30");
      expect(((await res.json()) as { detail: string }).detail).toMatch(/audit log/);
    } finally {
      await down.stop();
    }
  });
});
