import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import { MemberPageSchema, OrganizationPageSchema, OrganizationSchema } from "./schemas.ts";

let app: TestApp;
let reader: string;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("mine");
  await app.org("theirs");
  reader = (await app.user("reader@imbi.test", [{ org: "mine", role: "readonly" }])).token;
});
afterAll(() => app?.stop());

const create = (body: unknown, token = app.adminToken) => app.json("POST", "/api/organizations", body, token);
const patch = (slug: string, ops: unknown, headers: Record<string, string> = {}) =>
  app.request(`/api/organizations/${slug}`, {
    method: "PATCH",
    headers: {
      "Content-Type": "application/json-patch+json",
      Authorization: `Bearer ${app.adminToken}`,
      ...headers,
    },
    body: JSON.stringify(ops),
  });
const countVertices = async () => Number((await app.db.graph.one("MATCH (n) RETURN count(n)"))?.v ?? 0);

describe("create organization", () => {
  it("creates with 201, Location and ETag", async () => {
    const res = await create({ slug: "acme", name: "Acme Inc.", description: "Platform" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/organizations/acme");
    expect(res.headers.get("etag")).toMatch(/^"[\w-]+"$/);
    const org = OrganizationSchema.parse(await res.json());
    expect(org).toMatchObject({ slug: "acme", name: "Acme Inc.", description: "Platform" });
    expect(org.id).toHaveLength(21);
    const got = await app.json("GET", "/api/organizations/acme/", undefined, app.adminToken);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
  });

  it.each([
    ["upper-case slug", { slug: "Acme", name: "x" }, "json.slug"],
    ["short slug", { slug: "a", name: "x" }, "json.slug"],
    ["long slug", { slug: `a${"b".repeat(63)}`, name: "x" }, "json.slug"],
    ["digit-first slug", { slug: "9lives", name: "x" }, "json.slug"],
    ["empty name", { slug: "ok-slug", name: "" }, "json.name"],
    ["long name", { slug: "ok-slug", name: "n".repeat(129) }, "json.name"],
    ["long description", { slug: "ok-slug", name: "x", description: "d".repeat(4097) }, "json.description"],
    ["numeric name", { slug: "ok-slug", name: 42 }, "json.name"],
    ["array slug", { slug: ["ok-slug"], name: "x" }, "json.slug"],
    ["missing slug", { name: "x" }, "json.slug"],
    ["unknown field", { slug: "ok-slug", name: "x", owner: "me" }, "json"],
  ])("rejects a %s with 400", async (_, body, location) => {
    const problem = await expectProblem(await create(body), 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain(location);
  });

  it("rejects malformed JSON with a problem", async () => {
    const res = await app.request("/api/organizations", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${app.adminToken}` },
      body: '{"slug": "x",',
    });
    await expectProblem(res, 400, "MALFORMED_JSON");
  });

  it("answers 409 for a duplicate slug", async () => {
    await expectProblem(await create({ slug: "mine", name: "Again" }), 409, "CONFLICT");
  });

  it("lets exactly one of 8 concurrent creates of one slug win", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => create({ slug: "race", name: `Race ${i}` })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const n = await app.db.graph.one("MATCH (o:Organization {slug: 'race'}) RETURN count(o)");
    expect(Number(n?.v)).toBe(1);
  });

  it("needs authentication and an administrator", async () => {
    const none = await expectProblem(await create({ slug: "nope", name: "x" }, ""), 401, "UNAUTHENTICATED");
    expect(none.status).toBe(401);
    const garbage = await create({ slug: "nope", name: "x" }, "not-a-jwt");
    await expectProblem(garbage, 401);
    expect(garbage.headers.get("www-authenticate")).toContain("Bearer");
    await expectProblem(await create({ slug: "nope", name: "x" }, reader), 403, "FORBIDDEN");
  });

  it("stores injection-looking text verbatim and deletes nothing", async () => {
    const before = await countVertices();
    for (const [i, text] of INJECTIONS.entries()) {
      const res = await create({ slug: `inj-${i}`, name: text, description: text });
      expect(res.status).toBe(201);
      const got = OrganizationSchema.parse(
        await (await app.json("GET", `/api/organizations/inj-${i}`, undefined, app.adminToken)).json(),
      );
      expect([got.name, got.description]).toEqual([text, text]);
      const res2 = await patch(`inj-${i}`, [{ op: "replace", path: "/description", value: `${text}!` }]);
      expect(OrganizationSchema.parse(await res2.json()).description).toBe(`${text}!`);
    }
    expect(await countVertices()).toBe(before + INJECTIONS.length);
  });
});

describe("get, patch and delete", () => {
  it("answers 404 for an unknown organization and 400 for a bad slug", async () => {
    await expectProblem(await app.json("GET", "/api/organizations/ghost", undefined, app.adminToken), 404);
    await expectProblem(await app.json("GET", "/api/organizations/BAD!", undefined, app.adminToken), 400);
  });

  it("honours If-Match: a stale tag is 412, the current one applies", async () => {
    await create({ slug: "etag-org", name: "E" });
    const got = await app.json("GET", "/api/organizations/etag-org", undefined, app.adminToken);
    const tag = got.headers.get("etag") ?? "";
    const stale = await patch("etag-org", [{ op: "replace", path: "/name", value: "E2" }], {
      "If-Match": '"stale"',
    });
    await expectProblem(stale, 412, "PRECONDITION_FAILED");
    const ok = await patch("etag-org", [{ op: "replace", path: "/name", value: "E2" }], { "If-Match": tag });
    expect(ok.status).toBe(200);
    const body = OrganizationSchema.parse(await ok.json());
    expect(body.name).toBe("E2");
    expect(ok.headers.get("etag")).not.toBe(tag);
    const again = await patch("etag-org", [{ op: "replace", path: "/name", value: "E3" }], {
      "If-Match": tag,
    });
    await expectProblem(again, 412);
  });

  it("accepts application/json patches and renames the slug", async () => {
    await create({ slug: "old-name", name: "O" });
    const res = await app.json(
      "PATCH",
      "/api/organizations/old-name",
      [{ op: "replace", path: "/slug", value: "new-name" }],
      app.adminToken,
    );
    expect(res.status).toBe(200);
    expect(OrganizationSchema.parse(await res.json()).slug).toBe("new-name");
    await expectProblem(await app.json("GET", "/api/organizations/old-name", undefined, app.adminToken), 404);
    const taken = await patch("new-name", [{ op: "replace", path: "/slug", value: "mine" }]);
    await expectProblem(taken, 409);
  });

  it.each([
    [[{ op: "replace", path: "/id", value: "x" }], 400],
    [[{ op: "replace", path: "/created_at", value: "x" }], 400],
    [[{ op: "test", path: "/name", value: "not the name" }], 422],
    [[{ op: "remove", path: "/name" }], 400],
    [[{ op: "add", path: "/owner", value: "me" }], 400],
    [[{ op: "replace", path: "/slug", value: "Not A Slug" }], 400],
    [[{ op: "replace", path: "/name", value: 7 }], 400],
    [[{ op: "replace", path: "/missing/deep", value: 1 }], 400],
    [[{ op: "jump", path: "/name" }], 400],
    [[], 400],
    [{ op: "replace", path: "/name", value: "x" }, 400],
  ])("patch %j → %i", async (ops, status) => {
    await expectProblem(await patch("mine", ops), status);
  });

  it("rejects a patch sent as text/plain with 415", async () => {
    const res = await patch("mine", [{ op: "replace", path: "/name", value: "x" }], {
      "Content-Type": "text/plain",
    });
    await expectProblem(res, 415);
  });

  it("deletes with 204, refuses while entities belong to it", async () => {
    await create({ slug: "doomed", name: "D" });
    await create({ slug: "owner", name: "O" });
    await app.db.graph.query(
      "MATCH (o:Organization {slug: 'owner'}) CREATE (:Team {org_id: o.id, slug: 'core'})-[:BELONGS_TO]->(o) RETURN 1",
    );
    const del = await app.json("DELETE", "/api/organizations/doomed", undefined, app.adminToken);
    expect(del.status).toBe(204);
    await expectProblem(
      await app.json("DELETE", "/api/organizations/doomed", undefined, app.adminToken),
      404,
    );
    const refused = await expectProblem(
      await app.json("DELETE", "/api/organizations/owner", undefined, app.adminToken),
      409,
    );
    expect(refused.detail).toContain("1 Team");
  });

  it("deletes everything in it with ?cascade=true, and nothing elsewhere", async () => {
    await create({ slug: "cascade-me", name: "C" });
    await app.db.graph.query(
      `MATCH (o:Organization {slug: 'cascade-me'})
       CREATE (t:Team {org_id: o.id, slug: 'core'})-[:BELONGS_TO]->(o)
       CREATE (p:Project {org_id: o.id, slug: 'api'})-[:BELONGS_TO]->(o)
       CREATE (p)-[:OWNED_BY]->(t) RETURN 1`,
    );
    const before = await countVertices();
    const del = (q: string) =>
      app.json("DELETE", `/api/organizations/cascade-me${q}`, undefined, app.adminToken);
    await expectProblem(await del("?cascade=maybe"), 400);
    await expectProblem(await del("?force=true"), 400);
    expect((await del("?cascade=true")).status).toBe(204);
    expect(await countVertices()).toBe(before - 3);
    await expectProblem(await del(""), 404);
  });
});

describe("lists", () => {
  it("pages organizations without gaps or duplicates, by cursor and by Link", async () => {
    for (let i = 0; i < 7; i++) await create({ slug: `page-${i}`, name: `P${i}` });
    const all = OrganizationPageSchema.parse(
      await (await app.json("GET", "/api/organizations?limit=500", undefined, app.adminToken)).json(),
    ).data.map((o) => o.slug);
    const get = (p: string) => app.json("GET", p, undefined, app.adminToken);
    for (const via of ["cursor", "link"] as const) {
      const walked = await walkPages<{ slug: string }>(get, "/api/organizations?limit=3", via);
      expect(walked.map((o) => o.slug)).toEqual(all);
    }
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(all);
  });

  it("rejects a bad cursor, a bad limit and unknown filters", async () => {
    const get = (q: string) => app.json("GET", `/api/organizations?${q}`, undefined, app.adminToken);
    await expectProblem(await get("cursor=not-a-cursor"), 400);
    await expectProblem(await get(`cursor=${btoa(JSON.stringify({ s: 5 }))}`), 400);
    await expectProblem(await get("limit=0"), 400);
    await expectProblem(await get("limit=501"), 400);
    await expectProblem(await get("name=acme"), 400, "VALIDATION_FAILED");
  });

  it("shows non-administrators only their own organizations", async () => {
    const res = await app.json("GET", "/api/organizations", undefined, reader);
    expect(OrganizationPageSchema.parse(await res.json()).data.map((o) => o.slug)).toEqual(["mine"]);
  });

  it("shows every organization to organization:read held in the system organization", async () => {
    // A role in the system organization ('default') is a global grant (ADR 0009), whatever else.
    const global = await app.user("global-reader@imbi.test", [{ org: "default", role: "readonly" }]);
    const list = await app.json("GET", "/api/organizations?limit=500", undefined, global.token);
    const slugs = OrganizationPageSchema.parse(await list.json()).data.map((o) => o.slug);
    expect(slugs).toEqual(expect.arrayContaining(["default", "mine", "theirs"]));
  });

  it("leaves out organizations where the role grants no organization:read, and refuses when none is left", async () => {
    const role = await app.json(
      "POST",
      "/api/roles",
      { slug: "projects-only", name: "Projects only", permissions: ["project:read"] },
      app.adminToken,
    );
    expect(role.status).toBe(201);
    await app.org("side");
    const partial = await app.user("partial@imbi.test", [
      { org: "mine", role: "readonly" },
      { org: "side", role: "projects-only" },
    ]);
    const res = await app.json("GET", "/api/organizations", undefined, partial.token);
    expect(OrganizationPageSchema.parse(await res.json()).data.map((o) => o.slug)).toEqual(["mine"]);
    const none = await app.user("projects-only@imbi.test", [{ org: "side", role: "projects-only" }]);
    const loner = await app.user("loner@imbi.test");
    for (const token of [none.token, loner.token]) {
      const refused = await expectProblem(
        await app.json("GET", "/api/organizations", undefined, token),
        403,
        "FORBIDDEN",
      );
      expect(refused.detail).toContain("organization:read");
    }
  });

  it("pages members with their roles", async () => {
    for (let i = 0; i < 5; i++) await app.user(`m${i}@imbi.test`, [{ org: "theirs", role: "default" }]);
    const get = (p: string) => app.json("GET", p, undefined, app.adminToken);
    const walked = await walkPages<{ email: string; role: string }>(
      get,
      "/api/organizations/theirs/members?limit=2",
      "link",
    );
    expect(walked.map((m) => m.email)).toEqual(["m0", "m1", "m2", "m3", "m4"].map((m) => `${m}@imbi.test`));
    const first = MemberPageSchema.parse(await (await get("/api/organizations/theirs/members")).json());
    expect(first.data.every((m) => m.role === "default")).toBe(true);
    await expectProblem(await get("/api/organizations/ghost/members"), 404);
    await expectProblem(await app.json("GET", "/api/organizations/theirs/members", undefined, reader), 403);
  });
});
