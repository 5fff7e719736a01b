import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { countVertices, patchAs, seedProject } from "../../test/harness/catalog_requests.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import { EnvironmentPageSchema, EnvironmentSchema } from "./schemas.ts";

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
});
afterAll(() => app?.stop());

const base = "/api/organizations/acme/environments";
const create = (body: unknown, token = app.adminToken, org = "acme") =>
  app.json("POST", `/api/organizations/${org}/environments`, body, token);
const get = (path: string, token = app.adminToken) => app.json("GET", path, undefined, token);
const del = (path: string, token = app.adminToken) => app.json("DELETE", path, undefined, token);

describe("create and read environments", () => {
  it("creates with defaults, 201, Location and ETag", async () => {
    const res = await create({ slug: "production", name: "Production" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${base}/production`);
    expect(res.headers.get("etag")).toMatch(/^"[\w-]+"$/);
    const env = EnvironmentSchema.parse(await res.json());
    expect(env).toMatchObject({
      slug: "production",
      description: "",
      sort_order: 0,
      label_color: null,
      can_deploy: false,
      can_promote: false,
    });
    const full = {
      slug: "staging",
      name: "Staging",
      sort_order: -5,
      label_color: "#00Ff00",
      can_deploy: true,
    };
    const staging = EnvironmentSchema.parse(await (await create({ ...full, can_promote: true })).json());
    expect(staging).toMatchObject({ ...full, can_promote: true });
    expect(EnvironmentSchema.parse(await (await get(`${base}/staging`)).json())).toEqual(staging);
  });

  it.each([
    ["bad colour", { slug: "qa", name: "QA", label_color: "red" }, "json.label_color"],
    ["short colour", { slug: "qa", name: "QA", label_color: "#fff" }, "json.label_color"],
    ["fractional sort_order", { slug: "qa", name: "QA", sort_order: 1.5 }, "json.sort_order"],
    ["string flag", { slug: "qa", name: "QA", can_deploy: "yes" }, "json.can_deploy"],
    ["bad slug", { slug: "-qa", name: "QA" }, "json.slug"],
    ["unknown field", { slug: "qa", name: "QA", colour: "#ffffff" }, "json"],
  ])("rejects a %s with 400", async (_, body, location) => {
    const problem = await expectProblem(await create(body), 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain(location);
  });

  it("answers 409 for a duplicate slug in the org, but allows it in another org", async () => {
    await expectProblem(await create({ slug: "production", name: "Again" }), 409, "CONFLICT");
    expect((await create({ slug: "production", name: "Theirs" }, app.adminToken, "other")).status).toBe(201);
  });

  it("lets exactly one of 6 concurrent creates of one slug win", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create({ slug: "race", name: `Race ${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it("enforces authentication and per-organization permissions", async () => {
    await expectProblem(await get(base, ""), 401);
    expect((await get(base, reader)).status).toBe(200);
    expect((await get(`${base}/production`, reader)).status).toBe(200);
    await expectProblem(await create({ slug: "nope", name: "x" }, reader), 403, "FORBIDDEN");
    const ops = [{ op: "replace", path: "/name", value: "x" }];
    await expectProblem(await patchAs(app, `${base}/production`, ops, { token: reader }), 403);
    await expectProblem(await del(`${base}/production`, reader), 403);
    await expectProblem(await get(base, outsider), 403);
    await expectProblem(await get(`${base}/production`, outsider), 403);
    await expectProblem(await create({ slug: "nope", name: "x" }, outsider), 403);
    await expectProblem(await del(`${base}/production`, outsider), 403);
    expect((await create({ slug: "by-root", name: "Root" }, superuser)).status).toBe(201);
    await expectProblem(await get(`${base}/ghost`), 404, "NOT_FOUND");
    await expectProblem(await del(`${base}/ghost`), 404);
  });
});

describe("update environments", () => {
  it("patches fields, honours If-Match and renames", async () => {
    const tag = (await get(`${base}/production`)).headers.get("etag") ?? "";
    const ops = [
      { op: "replace", path: "/label_color", value: "#123abc" },
      { op: "replace", path: "/sort_order", value: 100 },
      { op: "replace", path: "/can_deploy", value: true },
    ];
    const stale = await patchAs(app, `${base}/production`, ops, { headers: { "If-Match": '"stale"' } });
    await expectProblem(stale, 412);
    const ok = await patchAs(app, `${base}/production`, ops, { headers: { "If-Match": tag } });
    expect(EnvironmentSchema.parse(await ok.json())).toMatchObject({
      label_color: "#123abc",
      sort_order: 100,
      can_deploy: true,
    });
    const cleared = await patchAs(app, `${base}/production`, [
      { op: "replace", path: "/label_color", value: null },
    ]);
    expect(EnvironmentSchema.parse(await cleared.json()).label_color).toBeNull();
    const taken = [{ op: "replace", path: "/slug", value: "staging" }];
    await expectProblem(await patchAs(app, `${base}/production`, taken), 409);
  });

  it.each([
    [[{ op: "replace", path: "/org_id", value: "x" }], 400],
    [[{ op: "replace", path: "/label_color", value: "blue" }], 400],
    [[{ op: "replace", path: "/sort_order", value: "1" }], 400],
    [[{ op: "remove", path: "/can_deploy" }], 400],
    [[{ op: "add", path: "/extra", value: 1 }], 400],
  ])("patch %j → %i", async (ops, status) => {
    await expectProblem(await patchAs(app, `${base}/production`, ops), status);
  });
});

describe("list environments", () => {
  it("orders by sort_order then slug and pages by cursor and by Link", async () => {
    for (const [slug, sort_order] of [
      ["e-b", 10],
      ["e-a", 10],
      ["e-c", -10],
      ["e-d", 50],
    ] as const)
      await create({ slug, name: slug, sort_order });
    const all = EnvironmentPageSchema.parse(await (await get(`${base}?limit=500`)).json()).data;
    const sorted = [...all].sort((a, b) => a.sort_order - b.sort_order || (a.slug < b.slug ? -1 : 1));
    expect(all.map((e) => e.slug)).toEqual(sorted.map((e) => e.slug));
    expect(all.map((e) => e.slug).slice(0, 3)).toEqual(["e-c", "staging", "by-root"]);
    for (const via of ["cursor", "link"] as const) {
      const walked = await walkPages<{ slug: string }>((p) => get(p), `${base}?limit=2`, via);
      expect(walked.map((e) => e.slug)).toEqual(all.map((e) => e.slug));
    }
    const theirs = EnvironmentPageSchema.parse(
      await (await get("/api/organizations/other/environments")).json(),
    );
    expect(theirs.data.map((e) => e.name)).toEqual(["Theirs"]);
  });

  it("rejects unknown filters and tampered cursors", async () => {
    await expectProblem(await get(`${base}?can_deploy=true`), 400, "VALIDATION_FAILED");
    await expectProblem(await get(`${base}?cursor=${btoa(JSON.stringify({ o: "x", s: "y" }))}`), 400);
  });
});

describe("delete environments", () => {
  it("refuses while projects are deployed in it; cascade removes only the edges", async () => {
    await app.db.graph.query(
      `MATCH (o:Organization {slug: 'acme'}) CREATE (:Team {id: 't1', org_id: o.id, slug: 'core', name: 'Core'})-[:BELONGS_TO]->(o) RETURN 1`,
    );
    await create({ slug: "live", name: "Live" });
    await seedProject(app, "acme", { slug: "api", team: "core", environments: ["live", "staging"] });
    await seedProject(app, "acme", { slug: "web", team: "core", environments: ["live"] });
    const refused = await expectProblem(await del(`${base}/live`), 409, "CONFLICT");
    expect(refused.detail).toContain("2 project(s)");
    await expectProblem(await del(`${base}/live?cascade=yes`), 400);
    await expectProblem(await del(`${base}/live?purge=true`), 400);
    const before = await countVertices(app);
    expect((await del(`${base}/live?cascade=true`)).status).toBe(204);
    expect(await countVertices(app)).toBe(before - 1);
    const edges = await app.db.graph.query("MATCH (p:Project)-[:DEPLOYED_IN]->(e:Environment) RETURN e.slug");
    expect(edges.map((r) => r.v)).toEqual(["staging"]);
    await expectProblem(await get(`${base}/live`), 404);
    expect((await del(`${base}/by-root`)).status).toBe(204);
  });
});

describe("injection-looking text", () => {
  it("is stored verbatim in every writable field and deletes nothing", async () => {
    const before = await countVertices(app);
    for (const [i, text] of INJECTIONS.entries()) {
      const res = await create({ slug: `inj-${i}`, name: text, description: text });
      expect(res.status).toBe(201);
      const got = EnvironmentSchema.parse(await (await get(`${base}/inj-${i}`)).json());
      expect([got.name, got.description]).toEqual([text, text]);
      const ops = [{ op: "replace", path: "/name", value: `${text}!` }];
      expect(EnvironmentSchema.parse(await (await patchAs(app, `${base}/inj-${i}`, ops)).json()).name).toBe(
        `${text}!`,
      );
    }
    expect(await countVertices(app)).toBe(before + INJECTIONS.length);
  });
});
