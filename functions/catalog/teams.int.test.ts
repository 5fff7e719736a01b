import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveOrg } from "../../lib/catalog/org.ts";
import { getTeam, updateTeam } from "../../lib/catalog/teams.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { countVertices, patchAs, seedProject } from "../../test/harness/catalog_requests.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import {
  TeamMemberPageSchema,
  TeamMemberSchema,
  TeamPageSchema,
  TeamProjectPageSchema,
  TeamSchema,
} from "./schemas.ts";

let app: TestApp;
let reader: string;
let outsider: string;
let superuser: string;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("acme");
  await app.org("other");
  reader = (await app.user("reader@imbi.test", [{ org: "acme", role: "readonly" }])).token;
  outsider = (await app.user("outsider@imbi.test", [{ org: "other", role: "admin" }])).token;
  superuser = (await app.user("root@imbi.test", [], { isAdmin: true })).token;
  await app.user("dev@imbi.test", [{ org: "acme", role: "developer" }]);
});
afterAll(() => app?.stop());

const base = "/api/organizations/acme/teams";
const create = (body: unknown, token = app.adminToken, org = "acme") =>
  app.json("POST", `/api/organizations/${org}/teams`, body, token);
const get = (path: string, token = app.adminToken) => app.json("GET", path, undefined, token);

describe("create and read teams", () => {
  it("creates with 201, Location and ETag, and reads it back", async () => {
    const res = await create({ slug: "platform", name: "Platform", description: "Pipelines" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${base}/platform`);
    const team = TeamSchema.parse(await res.json());
    expect(team).toMatchObject({ slug: "platform", name: "Platform", description: "Pipelines" });
    expect(team.id).toHaveLength(21);
    const got = await get(`${base}/platform`);
    expect(TeamSchema.parse(await got.json())).toEqual(team);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
    const edge = await app.db.graph.one(
      "MATCH (t:Team {id: $id})-[:BELONGS_TO]->(o:Organization) RETURN o.slug",
      { id: team.id },
    );
    expect(edge?.v).toBe("acme");
  });

  it.each([
    ["bad slug", { slug: "Bad Slug", name: "x" }, "json.slug"],
    ["missing name", { slug: "ok-team" }, "json.name"],
    ["long name", { slug: "ok-team", name: "n".repeat(129) }, "json.name"],
    ["numeric description", { slug: "ok-team", name: "x", description: 5 }, "json.description"],
    ["unknown field", { slug: "ok-team", name: "x", org_id: "elsewhere" }, "json"],
  ])("rejects a %s with 400", async (_, body, location) => {
    const problem = await expectProblem(await create(body), 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain(location);
  });

  it("answers 409 for a duplicate slug in the org, but allows it in another org", async () => {
    await expectProblem(await create({ slug: "platform", name: "Again" }), 409, "CONFLICT");
    expect((await create({ slug: "platform", name: "Theirs" }, app.adminToken, "other")).status).toBe(201);
  });

  it("lets exactly one of 6 concurrent creates of one slug win", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create({ slug: "race", name: `Race ${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const n = await app.db.graph.one("MATCH (t:Team {slug: 'race'}) RETURN count(t)");
    expect(Number(n?.v)).toBe(1);
  });

  it("enforces authentication and per-organization permissions", async () => {
    await expectProblem(await create({ slug: "nope", name: "x" }, ""), 401, "UNAUTHENTICATED");
    expect((await get(base, reader)).status).toBe(200);
    expect((await get(`${base}/platform`, reader)).status).toBe(200);
    expect((await get(`${base}/platform/members`, reader)).status).toBe(200);
    await expectProblem(await create({ slug: "nope", name: "x" }, reader), 403, "FORBIDDEN");
    const ops = [{ op: "replace", path: "/name", value: "x" }];
    await expectProblem(await patchAs(app, `${base}/platform`, ops, { token: reader }), 403);
    await expectProblem(await app.json("DELETE", `${base}/platform`, undefined, reader), 403);
    const add = { email: "dev@imbi.test" };
    await expectProblem(await app.json("POST", `${base}/platform/members`, add, reader), 403);
    for (const path of [base, `${base}/platform`, `${base}/platform/members`, `${base}/platform/projects`])
      await expectProblem(await get(path, outsider), 403);
    await expectProblem(await create({ slug: "nope", name: "x" }, outsider), 403);
    expect((await create({ slug: "by-root", name: "Root" }, superuser)).status).toBe(201);
  });

  it("answers 404 for an unknown team or organization", async () => {
    await expectProblem(await get(`${base}/ghost`), 404, "NOT_FOUND");
    await expectProblem(await get("/api/organizations/ghost/teams"), 404);
    await expectProblem(await create({ slug: "x-team", name: "x" }, app.adminToken, "ghost"), 404);
  });
});

describe("update teams", () => {
  it("honours If-Match and renames the slug (409 when taken)", async () => {
    await create({ slug: "etag-team", name: "E" });
    const tag = (await get(`${base}/etag-team`)).headers.get("etag") ?? "";
    const op = (v: string) => [{ op: "replace", path: "/name", value: v }];
    const stale = await patchAs(app, `${base}/etag-team`, op("E2"), { headers: { "If-Match": '"stale"' } });
    await expectProblem(stale, 412, "PRECONDITION_FAILED");
    const ok = await patchAs(app, `${base}/etag-team`, op("E2"), { headers: { "If-Match": tag } });
    expect(TeamSchema.parse(await ok.json()).name).toBe("E2");
    await expectProblem(
      await patchAs(app, `${base}/etag-team`, op("E3"), { headers: { "If-Match": tag } }),
      412,
    );
    const renamed = await patchAs(app, `${base}/etag-team`, [
      { op: "replace", path: "/slug", value: "renamed" },
    ]);
    expect(TeamSchema.parse(await renamed.json()).slug).toBe("renamed");
    await expectProblem(await get(`${base}/etag-team`), 404);
    await expectProblem(
      await patchAs(app, `${base}/renamed`, [{ op: "replace", path: "/slug", value: "race" }]),
      409,
    );
  });

  it("refuses a write whose If-Match check was overtaken by another write", async () => {
    const ref = await resolveOrg(app.db.graph, "acme");
    const current = await getTeam(app.db.graph, ref, "platform");
    const fields = { slug: "platform", name: "Late", description: "" };
    await expect(
      updateTeam(app.db.graph, ref, "platform", fields, "2000-01-01T00:00:00.000Z"),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    const ok = await updateTeam(
      app.db.graph,
      ref,
      "platform",
      { ...fields, name: current.name },
      current.updated_at,
    );
    expect(ok.name).toBe(current.name);
  });

  it.each([
    [[{ op: "replace", path: "/id", value: "x" }], 400],
    [[{ op: "replace", path: "/org_id", value: "x" }], 400],
    [[{ op: "replace", path: "/updated_at", value: "x" }], 400],
    [[{ op: "add", path: "/owner", value: "me" }], 400],
    [[{ op: "remove", path: "/name" }], 400],
    [[{ op: "test", path: "/name", value: "nope" }], 422],
  ])("patch %j → %i", async (ops, status) => {
    await expectProblem(await patchAs(app, `${base}/platform`, ops), status);
  });
});

describe("list teams", () => {
  it("pages by cursor and by Link, filters by name, stays in the org", async () => {
    for (let i = 0; i < 5; i++) await create({ slug: `page-${i}`, name: `Paged Team ${i}` });
    const all = TeamPageSchema.parse(await (await get(`${base}?limit=500`)).json()).data;
    expect(all.map((t) => t.slug)).toEqual([...all.map((t) => t.slug)].sort());
    expect(all.every((t) => t.org_id === all[0]?.org_id)).toBe(true);
    for (const via of ["cursor", "link"] as const) {
      const walked = await walkPages<{ slug: string }>((p) => get(p), `${base}?limit=2`, via);
      expect(walked.map((t) => t.slug)).toEqual(all.map((t) => t.slug));
    }
    const found = TeamPageSchema.parse(await (await get(`${base}?q=paged%20TEAM`)).json());
    expect(found.data.map((t) => t.slug)).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4"]);
    const theirs = TeamPageSchema.parse(await (await get("/api/organizations/other/teams")).json());
    expect(theirs.data.map((t) => t.name)).toEqual(["Theirs"]);
  });

  it("rejects unknown filters, bad limits and bad cursors", async () => {
    await expectProblem(await get(`${base}?team=x`), 400, "VALIDATION_FAILED");
    await expectProblem(await get(`${base}?limit=0`), 400);
    await expectProblem(await get(`${base}?cursor=garbage`), 400);
    await expectProblem(await get(`${base}/platform/members?role=x`), 400);
  });
});

describe("team members and projects", () => {
  const members = `${base}/platform/members`;
  it("adds, lists and removes members of the organization only", async () => {
    const res = await app.json("POST", members, { email: "DEV@imbi.test" }, app.adminToken);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${members}/dev%40imbi.test`);
    expect(TeamMemberSchema.parse(await res.json()).email).toBe("dev@imbi.test");
    await expectProblem(await app.json("POST", members, { email: "dev@imbi.test" }, app.adminToken), 409);
    const outside = await app.json("POST", members, { email: "outsider@imbi.test" }, app.adminToken);
    expect((await expectProblem(outside, 400)).errors?.[0]?.location).toBe("json.email");
    await expectProblem(await app.json("POST", members, { email: "nobody@imbi.test" }, app.adminToken), 400);
    await expectProblem(await app.json("POST", members, { email: "not-an-email" }, app.adminToken), 400);
    await expectProblem(
      await app.json("POST", members, { email: "dev@imbi.test", x: 1 }, app.adminToken),
      400,
    );
    const page = TeamMemberPageSchema.parse(await (await get(members)).json());
    expect(page.data.map((m) => m.email)).toEqual(["dev@imbi.test"]);
    await expectProblem(await get(`${base}/ghost/members`), 404);
    expect((await app.json("DELETE", `${members}/dev%40imbi.test`, undefined, app.adminToken)).status).toBe(
      204,
    );
    await expectProblem(
      await app.json("DELETE", `${members}/dev%40imbi.test`, undefined, app.adminToken),
      404,
    );
    expect(TeamMemberPageSchema.parse(await (await get(members)).json()).data).toEqual([]);
  });

  it("lists owned projects and refuses or cascades the delete", async () => {
    await create({ slug: "owner", name: "Owner" });
    await create({ slug: "bystander", name: "Bystander" });
    for (const s of ["p-c", "p-a", "p-b"]) await seedProject(app, "acme", { slug: s, team: "owner" });
    await seedProject(app, "acme", { slug: "kept", team: "bystander" });
    const walked = await walkPages<{ slug: string }>((p) => get(p), `${base}/owner/projects?limit=2`, "link");
    expect(walked.map((p) => p.slug)).toEqual(["p-a", "p-b", "p-c"]);
    TeamProjectPageSchema.parse(await (await get(`${base}/owner/projects`)).json());
    const refused = await expectProblem(
      await app.json("DELETE", `${base}/owner`, undefined, app.adminToken),
      409,
    );
    expect(refused.detail).toContain("3 project(s)");
    await expectProblem(await app.json("DELETE", `${base}/owner?force=true`, undefined, app.adminToken), 400);
    const before = await countVertices(app);
    const del = await app.json("DELETE", `${base}/owner?cascade=true`, undefined, app.adminToken);
    expect(del.status).toBe(204);
    expect(await countVertices(app)).toBe(before - 4);
    const left = await app.db.graph.query("MATCH (p:Project) RETURN p.slug");
    expect(left.map((r) => r.v)).toEqual(["kept"]);
    await expectProblem(await get(`${base}/owner`), 404);
    expect((await app.json("DELETE", `${base}/by-root`, undefined, app.adminToken)).status).toBe(204);
  });
});

describe("injection-looking text", () => {
  it("is stored verbatim in every writable field and deletes nothing", async () => {
    const before = await countVertices(app);
    for (const [i, text] of INJECTIONS.entries()) {
      const res = await create({ slug: `inj-${i}`, name: text, description: text });
      expect(res.status).toBe(201);
      const got = TeamSchema.parse(await (await get(`${base}/inj-${i}`)).json());
      expect([got.name, got.description]).toEqual([text, text]);
      const ops = [{ op: "replace", path: "/description", value: `${text}!` }];
      expect(TeamSchema.parse(await (await patchAs(app, `${base}/inj-${i}`, ops)).json()).description).toBe(
        `${text}!`,
      );
      const found = TeamPageSchema.parse(await (await get(`${base}?q=${encodeURIComponent(text)}`)).json());
      expect(found.data.map((t) => t.slug)).toEqual([`inj-${i}`]);
    }
    expect(await countVertices(app)).toBe(before + INJECTIONS.length);
  });
});
