import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { patchAs } from "../../test/harness/catalog_requests.ts";
import { expectProblem } from "../../test/harness/http.ts";

// Node blueprints of type Team, Environment, ProjectType and Organization validate the create and
// the patch of those resources; attributes are extra top-level fields (own app: blueprints are global).

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("acme");
});
afterAll(() => app?.stop());

const blueprint = (type: string, slug: string) =>
  app.json(
    "POST",
    "/api/blueprints",
    {
      slug,
      name: `${type} attributes`,
      kind: "node",
      type,
      priority: 1,
      enabled: true,
      schema: {
        type: "object",
        properties: { oncall: { type: "string" }, size: { type: "integer", default: 5 } },
        required: ["oncall"],
      },
    },
    app.adminToken,
  );
const post = (path: string, body: unknown) => app.json("POST", `/api${path}`, body, app.adminToken);
const get = (path: string) => app.json("GET", `/api${path}`, undefined, app.adminToken);
const locations = async (res: Response, status = 400) =>
  (await expectProblem(res, status, "VALIDATION_FAILED")).errors?.map((e) => e.location) ?? [];

describe("without a blueprint", () => {
  it("still rejects an unknown field on create and patch", async () => {
    expect(
      await locations(await post("/organizations/acme/teams", { slug: "t0", name: "T", x: 1 })),
    ).toContain("json");
    expect((await post("/organizations/acme/teams", { slug: "t0", name: "T" })).status).toBe(201);
    const res = await patchAs(app, "/api/organizations/acme/teams/t0", [{ op: "add", path: "/x", value: 1 }]);
    expect(await locations(res)).toContain("json");
  });
});

describe("Team blueprint attributes", () => {
  const base = "/organizations/acme/teams";
  beforeAll(async () => {
    expect((await blueprint("Team", "team-oncall")).status).toBe(201);
  });

  it("requires, defaults, stores and returns attributes", async () => {
    expect(await locations(await post(base, { slug: "sre", name: "SRE" }))).toContain("json.oncall");
    const res = await post(base, { slug: "sre", name: "SRE", oncall: "pagerduty" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ slug: "sre", oncall: "pagerduty", size: 5 });
    const got = (await (await get(`${base}/sre`)).json()) as Record<string, unknown>;
    expect(got).toEqual(created);
    const list = (await (await get(base)).json()) as { data: Record<string, unknown>[] };
    expect(list.data.find((t) => t.slug === "sre")).toMatchObject({ oncall: "pagerduty", size: 5 });
    const vertex = await app.db.graph.one("MATCH (t:Team {slug: 'sre'}) RETURN t.size");
    expect(Number(vertex?.v)).toBe(5);
  });

  it("shows the team attributes in the OpenAPI document", async () => {
    type Doc = {
      components: {
        schemas: Record<string, { properties?: object; required?: string[]; additionalProperties?: unknown }>;
      };
    };
    const doc = (await (await app.request("/openapi.json")).json()) as Doc;
    expect(doc.components.schemas.TeamAttributes?.properties).toHaveProperty("oncall");
    // The create body is one closed object: core fields and attributes side by side, nothing else.
    const create = doc.components.schemas.CreateTeam;
    expect(Object.keys(create?.properties ?? {})).toEqual(expect.arrayContaining(["slug", "name", "oncall"]));
    expect(create?.additionalProperties).toBe(false);
  });

  it("rejects a wrong type and an unknown attribute", async () => {
    expect(await locations(await post(base, { slug: "bad", name: "B", oncall: 7 }))).toContain("json.oncall");
    expect(await locations(await post(base, { slug: "bad", name: "B", oncall: "x", size: "big" }))).toContain(
      "json.size",
    );
    expect(
      await locations(await post(base, { slug: "bad", name: "B", oncall: "x", colour: "red" })),
    ).toContain("json.colour");
    expect(
      await locations(await post(base, { slug: "bad", name: "B", oncall: "x", org_id: "elsewhere" })),
    ).toContain("json.org_id");
    expect((await get(`${base}/bad`)).status).toBe(404);
  });

  it("patches attributes and re-validates them", async () => {
    const ok = await patchAs(app, `/api${base}/sre`, [{ op: "replace", path: "/size", value: 9 }]);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ oncall: "pagerduty", size: 9 });
    expect(
      await locations(await patchAs(app, `/api${base}/sre`, [{ op: "remove", path: "/oncall" }])),
    ).toContain("json.oncall");
    expect(
      await locations(await patchAs(app, `/api${base}/sre`, [{ op: "replace", path: "/size", value: "x" }])),
    ).toContain("json.size");
    expect(
      await locations(await patchAs(app, `/api${base}/sre`, [{ op: "add", path: "/colour", value: "red" }])),
    ).toContain("json.colour");
    expect(await (await get(`${base}/sre`)).json()).toMatchObject({ oncall: "pagerduty", size: 9 });
  });

  it("removes an optional attribute from the vertex (its default comes back)", async () => {
    const res = await patchAs(app, `/api${base}/sre`, [{ op: "remove", path: "/size" }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ size: 5 });
  });
});

describe("Environment, ProjectType and Organization blueprint attributes", () => {
  it.each([
    ["Environment", "/organizations/acme/environments", { slug: "qa", name: "QA" }],
    ["ProjectType", "/organizations/acme/project-types", { slug: "cli", name: "CLI" }],
    ["Organization", "/organizations", { slug: "initech", name: "Initech" }],
  ])("%s: validates the create and the patch", async (type, base, body) => {
    expect((await blueprint(type, `${type.toLowerCase()}-oncall`)).status).toBe(201);
    expect(await locations(await post(base, body))).toContain("json.oncall");
    expect(await locations(await post(base, { ...body, oncall: 1 }))).toContain("json.oncall");
    expect(await locations(await post(base, { ...body, oncall: "x", colour: "red" }))).toContain(
      "json.colour",
    );
    const res = await post(base, { ...body, oncall: "x" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ...body, oncall: "x", size: 5 });
    expect(await (await get(`${base}/${body.slug}`)).json()).toMatchObject({ oncall: "x", size: 5 });
    const path = `/api${base}/${body.slug}`;
    const patched = await patchAs(app, path, [{ op: "replace", path: "/size", value: 2 }]);
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ oncall: "x", size: 2 });
    expect(await locations(await patchAs(app, path, [{ op: "remove", path: "/oncall" }]))).toContain(
      "json.oncall",
    );
  });
});
