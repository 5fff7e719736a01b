import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { urlTemplateProblem } from "../../lib/catalog/link_definitions.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { countVertices, patchAs, seedProject } from "../../test/harness/catalog_requests.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import { LinkDefinitionPageSchema, LinkDefinitionSchema } from "./schemas.ts";

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

const base = "/api/organizations/acme/link-definitions";
const GH = "https://github.com/acme/{slug}";
const create = (body: unknown, token = app.adminToken, org = "acme") =>
  app.json("POST", `/api/organizations/${org}/link-definitions`, body, token);
const get = (path: string, token = app.adminToken) => app.json("GET", path, undefined, token);
const del = (path: string, token = app.adminToken) => app.json("DELETE", path, undefined, token);

describe("URL templates", () => {
  it.each([
    GH,
    "https://sentry.io/{org}/{identifiers.sentry_project}?q={name}",
    "http://{slug}.internal.example.com:8080/p/{id}",
  ])("accepts %s", (t) => expect(urlTemplateProblem(t)).toBeNull());

  it.each([
    ["https://x.test/{owner}", "Unknown placeholder"],
    ["https://x.test/{identifiers.}", "Unknown placeholder"],
    ["https://x.test/{slug", "Unbalanced"],
    ["github.com/{slug}", "absolute URL"],
    ["javascript:alert({slug})", "http and https"],
  ])("rejects %s", (t, message) => expect(urlTemplateProblem(t)).toContain(message));
});

describe("link definitions", () => {
  it("creates with 201, Location and ETag", async () => {
    const res = await create({ slug: "github", name: "GitHub", url_template: GH });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${base}/github`);
    const def = LinkDefinitionSchema.parse(await res.json());
    expect(def).toMatchObject({ slug: "github", url_template: GH, description: "" });
    const got = await get(`${base}/github`);
    expect(LinkDefinitionSchema.parse(await got.json())).toEqual(def);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
  });

  it.each([
    ["bad template", { slug: "ci", name: "CI", url_template: "https://ci/{branch}" }, "json.url_template"],
    ["missing template", { slug: "ci", name: "CI" }, "json.url_template"],
    ["bad slug", { slug: "CI", name: "CI", url_template: GH }, "json.slug"],
    ["unknown field", { slug: "ci", name: "CI", url_template: GH, icon: "x" }, "json"],
  ])("rejects a %s with 400", async (_, body, location) => {
    const problem = await expectProblem(await create(body), 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain(location);
  });

  it("answers 409 for a duplicate slug in the org, allows it in another, one concurrent winner", async () => {
    await expectProblem(await create({ slug: "github", name: "Again", url_template: GH }), 409);
    const theirs = await create(
      { slug: "github", name: "Theirs", url_template: GH },
      app.adminToken,
      "other",
    );
    expect(theirs.status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create({ slug: "race", name: `Race ${i}`, url_template: GH })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it("enforces authentication and per-organization permissions (write, not update)", async () => {
    await expectProblem(await get(base, ""), 401);
    expect((await get(base, reader)).status).toBe(200);
    expect((await get(`${base}/github`, reader)).status).toBe(200);
    await expectProblem(await create({ slug: "nope", name: "x", url_template: GH }, reader), 403);
    const ops = [{ op: "replace", path: "/name", value: "x" }];
    const denied = await expectProblem(await patchAs(app, `${base}/github`, ops, { token: reader }), 403);
    expect(denied.detail).toContain("link_definition:write");
    await expectProblem(await del(`${base}/github`, reader), 403);
    for (const path of [base, `${base}/github`]) await expectProblem(await get(path, outsider), 403);
    await expectProblem(await del(`${base}/github`, outsider), 403);
    expect((await create({ slug: "by-root", name: "Root", url_template: GH }, superuser)).status).toBe(201);
    await expectProblem(await get(`${base}/ghost`), 404);
    await expectProblem(await del(`${base}/ghost`), 404);
  });

  it("patches with If-Match and validates the patched template", async () => {
    const tag = (await get(`${base}/github`)).headers.get("etag") ?? "";
    const ops = [{ op: "replace", path: "/url_template", value: "https://github.com/{org}/{slug}" }];
    await expectProblem(await patchAs(app, `${base}/github`, ops, { headers: { "If-Match": '"x"' } }), 412);
    const ok = await patchAs(app, `${base}/github`, ops, { headers: { "If-Match": tag } });
    expect(LinkDefinitionSchema.parse(await ok.json()).url_template).toBe("https://github.com/{org}/{slug}");
    const bad = await patchAs(app, `${base}/github`, [
      { op: "replace", path: "/url_template", value: "{x}" },
    ]);
    expect((await expectProblem(bad, 400)).errors?.map((e) => e.location)).toContain("json.url_template");
    await expectProblem(
      await patchAs(app, `${base}/github`, [{ op: "replace", path: "/org_id", value: "x" }]),
      400,
    );
    await expectProblem(
      await patchAs(app, `${base}/github`, [{ op: "replace", path: "/slug", value: "race" }]),
      409,
    );
  });

  it("lists by slug, pages by cursor and Link, rejects unknown filters", async () => {
    for (let i = 0; i < 4; i++) await create({ slug: `link-${i}`, name: `L${i}`, url_template: GH });
    const all = LinkDefinitionPageSchema.parse(await (await get(`${base}?limit=500`)).json()).data.map(
      (l) => l.slug,
    );
    expect(all).toEqual([...all].sort());
    for (const via of ["cursor", "link"] as const) {
      const walked = await walkPages<{ slug: string }>((p) => get(p), `${base}?limit=3`, via);
      expect(walked.map((l) => l.slug)).toEqual(all);
    }
    await expectProblem(await get(`${base}?slug=github`), 400, "VALIDATION_FAILED");
  });

  it("refuses to delete or rename a definition projects have links under", async () => {
    await app.db.graph.query(
      `MATCH (o:Organization {slug: 'acme'}) CREATE (:Team {id: 't1', org_id: o.id, slug: 'core', name: 'Core'})-[:BELONGS_TO]->(o) RETURN 1`,
    );
    await seedProject(app, "acme", {
      slug: "api",
      team: "core",
      links: { github: "https://github.com/acme/api" },
    });
    const refused = await expectProblem(await del(`${base}/github`), 409, "CONFLICT");
    expect(refused.detail).toContain("1 project(s)");
    const rename = [{ op: "replace", path: "/slug", value: "gh" }];
    await expectProblem(await patchAs(app, `${base}/github`, rename), 409);
    const keep = [{ op: "replace", path: "/name", value: "GitHub.com" }];
    expect((await patchAs(app, `${base}/github`, keep)).status).toBe(200);
    // The same slug in another org is not in use by acme's projects.
    expect((await del("/api/organizations/other/link-definitions/github")).status).toBe(204);
    await expectProblem(await del(`${base}/github?cascade=true`), 400);
    const before = await countVertices(app);
    expect((await del(`${base}/link-0`)).status).toBe(204);
    expect(await countVertices(app)).toBe(before - 1);
  });

  it("stores injection-looking text verbatim and deletes nothing", async () => {
    const before = await countVertices(app);
    for (const [i, text] of INJECTIONS.entries()) {
      const template = `https://x.test/{slug}?q=${encodeURIComponent(text)}`;
      const body = { slug: `inj-${i}`, name: text, description: text, url_template: template };
      expect((await create(body)).status).toBe(201);
      const got = LinkDefinitionSchema.parse(await (await get(`${base}/inj-${i}`)).json());
      expect([got.name, got.description, got.url_template]).toEqual([text, text, template]);
      const ops = [{ op: "replace", path: "/name", value: `${text}!` }];
      expect(
        LinkDefinitionSchema.parse(await (await patchAs(app, `${base}/inj-${i}`, ops)).json()).name,
      ).toBe(`${text}!`);
    }
    expect(await countVertices(app)).toBe(before + INJECTIONS.length);
  });
});
