import { nanoid } from "nanoid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  effectiveRelationshipSchema,
  effectiveSchema,
  validateAttributes,
} from "../../lib/blueprints/effective.ts";
import { propsMap } from "../../lib/graph/graph.ts";
import { createRole } from "../../lib/identity/roles.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import { BlueprintPageSchema, BlueprintSchema, ComponentsSchema, ImpactSchema } from "./schemas.ts";

let app: TestApp;
let developer: string;
let reader: string;
beforeAll(async () => {
  app = await startTestApp({ analytics: "embedded", kv: "memory" });
  await app.org("alpha");
  await app.org("beta");
  developer = (await app.user("dev@imbi.test", [{ org: "alpha", role: "developer" }])).token;
  reader = (await app.user("reader@imbi.test", [{ org: "alpha", role: "readonly" }])).token;
});
afterAll(() => app?.stop());

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  required,
});
const create = (body: Record<string, unknown>, token = app.adminToken) =>
  app.json("POST", "/api/blueprints", { kind: "node", ...body }, token);
const get = (path: string, token = app.adminToken) =>
  app.json("GET", `/api/blueprints${path}`, undefined, token);
const patch = (path: string, ops: unknown, headers: Record<string, string> = {}, token = app.adminToken) =>
  app.request(`/api/blueprints${path}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json-patch+json", Authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(ops),
  });
const created = async (body: Record<string, unknown>) => {
  const res = await create(body);
  expect(res.status).toBe(201);
  return BlueprintSchema.parse(await res.json());
};

describe("create, get, list", () => {
  it("creates with 201, Location and ETag; GET returns the same tag", async () => {
    const res = await create({
      slug: "svc",
      name: "Service",
      type: "Team",
      priority: 5,
      schema: obj({ tier: { type: "integer", default: 3 } }, ["tier"]),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/blueprints/Team/svc");
    const bp = BlueprintSchema.parse(await res.json());
    expect(bp).toMatchObject({
      slug: "svc",
      kind: "node",
      type: "Team",
      source: null,
      priority: 5,
      enabled: true,
    });
    expect(bp.filter).toEqual({ project_types: [], environments: [] });
    expect(bp.schema).toMatchObject({ required: ["tier"] });
    const got = await get("/Team/svc/", reader);
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
  });

  it("creates a relationship blueprint at /relationship/{slug} and derives a slug from the name", async () => {
    const res = await app.json(
      "POST",
      "/api/blueprints",
      {
        kind: "relationship",
        name: "Deploy URL!",
        source: "Project",
        edge: "DEPLOYED_IN",
        target: "Environment",
        schema: obj({ url: { type: "string", format: "uri" } }),
      },
      app.adminToken,
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/blueprints/relationship/deploy-url");
    expect((await get("/relationship/deploy-url")).status).toBe(200);
    await expectProblem(await get("/Project/deploy-url"), 404, "NOT_FOUND");
  });

  it("answers 409 for a duplicate slug, even under another type", async () => {
    await expectProblem(
      await create({ slug: "svc", name: "x", type: "Project", schema: obj({}) }),
      409,
      "CONFLICT",
    );
  });

  it("lists with kind, type and enabled filters, and pages by slug", async () => {
    for (let i = 0; i < 5; i++)
      await created({
        slug: `page-${i}`,
        name: `P${i}`,
        type: "Organization",
        enabled: i % 2 === 0,
        schema: obj({}),
      });
    const all = async (q: string) =>
      BlueprintPageSchema.parse(await (await get(`?limit=500${q}`, reader)).json()).data.map((b) => b.slug);
    expect(await all("&type=Organization")).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4"]);
    expect(await all("&type=Organization&enabled=false")).toEqual(["page-1", "page-3"]);
    expect(await all("&kind=relationship")).toEqual(["deploy-url"]);
    expect(await all("&type=relationship")).toEqual(["deploy-url"]);
    const every = await all("");
    expect([...every].sort()).toEqual(every);
    for (const via of ["cursor", "link"] as const) {
      const walked = await walkPages<{ slug: string }>(
        (p) => app.json("GET", p, undefined, reader),
        "/api/blueprints?limit=2",
        via,
      );
      expect(walked.map((b) => b.slug)).toEqual(every);
    }
    await expectProblem(await get("?colour=red", reader), 400);
    await expectProblem(await get("?type=Widget", reader), 400);
  });

  it.each([
    ["a reserved name", { properties: { name: { type: "string" } } }, "json.schema.properties.name"],
    ["a reserved score", { properties: { score: { type: "number" } } }, "json.schema.properties.score"],
    ["an upper-case name", { properties: { Tier: { type: "string" } } }, "json.schema.properties.Tier"],
    ["a non-object schema", { type: "array", properties: {} }, "json.schema.type"],
    ["no properties", { properties: undefined }, "json.schema.properties"],
    ["a bad type", { properties: { a: { type: "strnig" } } }, "json.schema.properties.a.type"],
    [
      "a bad pattern",
      { properties: { a: { type: "string", pattern: "([" } } },
      "json.schema.properties.a.pattern",
    ],
    ["a dangling $ref", { properties: { a: { $ref: "#/$defs/x" } } }, "json.schema.properties.a.$ref"],
  ])("rejects a schema with %s with 400 naming it", async (_, override, location) => {
    const res = await create({
      slug: "bad",
      name: "Bad",
      type: "Project",
      schema: { ...obj({}), ...override },
    });
    const problem = await expectProblem(res, 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain(location);
    expect(problem.detail).toContain(location);
  });

  it.each([
    ["node without type", { kind: "node" }],
    ["node with an edge", { kind: "node", type: "Project", edge: "DEPENDS_ON" }],
    ["relationship without target", { kind: "relationship", source: "Project", edge: "DEPENDS_ON" }],
    [
      "relationship with a type",
      { kind: "relationship", type: "Project", source: "Project", edge: "DEPENDS_ON", target: "Project" },
    ],
    ["unknown edge", { kind: "relationship", source: "Project", edge: "LIKES", target: "Project" }],
    ["unknown field", { kind: "node", type: "Project", colour: "red" }],
  ])("rejects a %s with 400", async (_, body) => {
    await expectProblem(await create({ slug: "bad", name: "Bad", schema: obj({}), ...body }), 400);
  });

  it("needs authentication to read and an administrator to write", async () => {
    await expectProblem(await get("", ""), 401, "UNAUTHENTICATED");
    const body = { slug: "nope", name: "x", type: "Project", schema: obj({}) };
    await expectProblem(await create(body, ""), 401);
    await expectProblem(await create(body, developer), 403, "FORBIDDEN");
    await expectProblem(
      await patch("/Team/svc", [{ op: "replace", path: "/name", value: "x" }], {}, developer),
      403,
    );
    await expectProblem(await app.json("DELETE", "/api/blueprints/Team/svc", undefined, reader), 403);
    expect((await get("/Team/svc", developer)).status).toBe(200);
  });

  it("stores injection-looking text verbatim", async () => {
    const count = async () => Number((await app.db.graph.one("MATCH (n) RETURN count(n)"))?.v);
    const before = await count();
    for (const [i, text] of INJECTIONS.entries()) {
      await created({
        slug: `inj-${i}`,
        name: text,
        description: text,
        type: "Organization",
        schema: obj({}),
      });
      const got = BlueprintSchema.parse(await (await get(`/Organization/inj-${i}`)).json());
      expect([got.name, got.description]).toEqual([text, text]);
    }
    expect(await count()).toBe(before + INJECTIONS.length);
  });
});

describe("patch and delete", () => {
  it("honours If-Match and re-checks the patched schema", async () => {
    const got = await get("/Team/svc");
    const tag = got.headers.get("etag") ?? "";
    const op = [{ op: "add", path: "/schema/properties/region", value: { type: "string" } }];
    await expectProblem(await patch("/Team/svc", op, { "If-Match": '"stale"' }), 412, "PRECONDITION_FAILED");
    const ok = await patch("/Team/svc", op, { "If-Match": tag });
    expect(ok.status).toBe(200);
    expect(Object.keys(BlueprintSchema.parse(await ok.json()).schema.properties as object)).toEqual([
      "tier",
      "region",
    ]);
    await expectProblem(await patch("/Team/svc", op, { "If-Match": tag }), 412);
    const reserved = [{ op: "add", path: "/schema/properties/slug", value: { type: "string" } }];
    const problem = await expectProblem(await patch("/Team/svc", reserved), 400);
    expect(problem.errors?.map((e) => e.location)).toContain("json.schema.properties.slug");
  });

  it.each([
    [[{ op: "replace", path: "/slug", value: "other" }], 400],
    [[{ op: "replace", path: "/type", value: "Project" }], 400],
    [[{ op: "replace", path: "/kind", value: "relationship" }], 400],
    [[{ op: "replace", path: "/priority", value: "high" }], 400],
    [[{ op: "test", path: "/name", value: "nope" }], 422],
  ])("patch %j → %i", async (ops, status) => {
    await expectProblem(await patch("/Team/svc", ops), status);
  });

  it("answers 404 for an unknown blueprint or type, deletes with 204", async () => {
    await expectProblem(await get("/Team/ghost"), 404);
    await expectProblem(await get("/Widget/svc"), 400);
    await created({ slug: "doomed", name: "D", type: "Team", schema: obj({}) });
    expect((await app.json("DELETE", "/api/blueprints/Team/doomed", undefined, app.adminToken)).status).toBe(
      204,
    );
    await expectProblem(
      await app.json("DELETE", "/api/blueprints/Team/doomed", undefined, app.adminToken),
      404,
    );
  });
});

describe("effective schemas", () => {
  beforeAll(async () => {
    await created({
      slug: "env-low",
      name: "Low",
      type: "Environment",
      priority: 1,
      schema: obj({ level: { type: "integer" }, owner: { type: "string" } }, ["owner"]),
    });
    await created({
      slug: "env-high",
      name: "High",
      type: "Environment",
      priority: 9,
      schema: obj({ level: { type: "string", enum: ["gold", "silver"] } }, ["level"]),
    });
    await created({
      slug: "env-api",
      name: "API only",
      type: "Environment",
      filter: { project_types: ["api"] },
      schema: obj({ api_port: { type: "integer", default: 8080 } }),
    });
    await created({
      slug: "env-prod",
      name: "Prod only",
      type: "Environment",
      filter: { environments: ["prod"] },
      schema: obj({ pager: { type: "string" } }),
    });
    await created({
      slug: "env-off",
      name: "Off",
      type: "Environment",
      enabled: false,
      schema: obj({ off: {} }),
    });
  });

  it("merges by priority: the higher one wins a clash, required is the union, disabled is ignored", async () => {
    const s = await effectiveSchema(app.db.graph, { type: "Environment" });
    expect(s.properties).toEqual({
      level: { type: "string", enum: ["gold", "silver"] },
      owner: { type: "string" },
    });
    expect(s.required).toEqual(["level", "owner"]);
    expect(s["x-imbi-blueprints"]).toEqual(["env-low", "env-high"]);
    const errors = validateAttributes(s, { level: 3, off: 1 });
    expect(errors.map((e) => e.location).sort()).toEqual(["json.level", "json.off", "json.owner"]);
  });

  it("applies filtered blueprints only in a matching context", async () => {
    const url = "/effective?type=Environment&project_types=web,api&environments=prod";
    const res = await get(url, reader);
    expect(res.status).toBe(200);
    const s = (await res.json()) as { properties: Record<string, unknown> };
    expect(Object.keys(s.properties).sort()).toEqual(["api_port", "level", "owner", "pager"]);
    const web = await effectiveSchema(app.db.graph, { type: "Environment", projectTypes: ["web"] });
    expect(Object.keys(web.properties).sort()).toEqual(["level", "owner"]);
    await expectProblem(await get("/effective?type=Environment&source=Project", reader), 400);
    await expectProblem(await get("/effective", reader), 400);
  });

  it("merges relationship blueprints for one edge", async () => {
    const s = await effectiveRelationshipSchema(app.db.graph, {
      source: "Project",
      edge: "DEPLOYED_IN",
      target: "Environment",
    });
    expect(Object.keys(s.properties)).toEqual(["url"]);
    const none = await effectiveRelationshipSchema(app.db.graph, {
      source: "Project",
      edge: "DEPENDS_ON",
      target: "Project",
    });
    expect(none.properties).toEqual({});
    const res = await get("/effective?source=Project&edge=DEPLOYED_IN&target=Environment", reader);
    expect(((await res.json()) as { properties: object }).properties).toHaveProperty("url");
  });

  it("serves OpenAPI components, required only from unfiltered blueprints", async () => {
    const res = await get("/openapi-components", reader);
    expect(res.status).toBe(200);
    const { schemas } = ComponentsSchema.parse(await res.json()).components;
    expect(schemas).toHaveProperty("ProjectAttributes");
    expect(schemas).toHaveProperty("Project_Environment_DEPLOYED_INEdgeProperties");
    const env = schemas.EnvironmentAttributes as { properties: object; required: string[] };
    expect(Object.keys(env.properties).sort()).toEqual(["api_port", "level", "owner", "pager"]);
    expect(env.required).toEqual(["level", "owner"]);
  });
});

describe("impact", () => {
  const project = async (org: string, slug: string, types: string[], attrs: Record<string, unknown>) => {
    const props = { id: nanoid(), slug, name: slug, ...attrs };
    await app.db.graph.query(
      `MATCH (o:Organization {slug: $org})
       CREATE (p:Project ${propsMap(Object.keys(props))})-[:BELONGS_TO]->(o)
       SET p.org_id = o.id RETURN 1`,
      { org, ...props },
    );
    for (const t of types)
      await app.db.graph.query(
        `MATCH (o:Organization {slug: $org}), (p:Project {id: $id})
         OPTIONAL MATCH (x:ProjectType {org_id: o.id, slug: $t})
         WITH o, p, x WHERE x IS NULL
         CREATE (:ProjectType {org_id: o.id, slug: $t})-[:BELONGS_TO]->(o) RETURN 1`,
        { org, id: props.id, t },
      );
    for (const t of types)
      await app.db.graph.query(
        `MATCH (o:Organization {slug: $org}), (p:Project {id: $id}), (x:ProjectType {slug: $t})
         WHERE x.org_id = o.id CREATE (p)-[:TYPE]->(x) RETURN 1`,
        { org, id: props.id, t },
      );
    return props.id;
  };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ids.good = await project("alpha", "good", ["api"], { tier: 2 });
    ids.badType = await project("alpha", "bad-type", ["api"], { tier: "two" });
    ids.missing = await project("alpha", "missing", ["api", "web"], {});
    ids.otherType = await project("alpha", "other-type", ["web"], {});
    ids.betaBad = await project("beta", "beta-bad", ["api"], { tier: 9 });
    await created({
      slug: "api-tier",
      name: "API tier",
      type: "Project",
      filter: { project_types: ["api"] },
      schema: obj({ tier: { type: "integer", maximum: 4 } }, ["tier"]),
    });
  });

  it("lists exactly the failing projects the blueprint applies to", async () => {
    const report = ImpactSchema.parse(await (await get("/Project/api-tier/impact")).json());
    expect(report.total_checked).toBe(4);
    const failing = report.failing.map((f) => f.slug).sort();
    expect(failing).toEqual(["bad-type", "beta-bad", "missing"]);
    const missing = report.failing.find((f) => f.slug === "missing");
    expect(missing).toMatchObject({
      id: ids.missing,
      org: "alpha",
      errors: [{ location: "json.tier", message: "is required" }],
    });
    expect(report.next_cursor).toBeNull();
  });

  it("shows a non-administrator only the organizations they can read", async () => {
    const report = ImpactSchema.parse(await (await get("/Project/api-tier/impact", reader)).json());
    expect(report.failing.map((f) => f.org)).not.toContain("beta");
    expect(report.failing).toHaveLength(2);
  });

  it("pages failures by cursor", async () => {
    const walked = await walkPages<{ slug: string }>(
      async (p) => {
        const res = await app.json("GET", p, undefined, app.adminToken);
        const body = ImpactSchema.parse(await res.clone().json());
        return new Response(JSON.stringify({ data: body.failing, next_cursor: body.next_cursor }), {
          status: res.status,
          headers: res.headers,
        });
      },
      "/api/blueprints/Project/api-tier/impact?limit=1",
      "cursor",
    );
    expect(walked.map((f) => f.slug).sort()).toEqual(["bad-type", "beta-bad", "missing"]);
  });

  it("tests a proposed schema without saving it", async () => {
    const res = await app.json(
      "POST",
      "/api/blueprints/Project/api-tier/impact",
      { schema: obj({ tier: { type: ["integer", "string"] } }) },
      app.adminToken,
    );
    expect(res.status).toBe(200);
    expect(ImpactSchema.parse(await res.json()).failing).toEqual([]);
    const bad = await app.json(
      "POST",
      "/api/blueprints/Project/api-tier/impact",
      { schema: obj({ id: {} }) },
      app.adminToken,
    );
    await expectProblem(bad, 400);
    expect(BlueprintSchema.parse(await (await get("/Project/api-tier")).json()).schema.required).toEqual([
      "tier",
    ]);
    await expectProblem(await get("/Team/svc/impact"), 400);
  });
});

describe("who may read and write (blueprints are global configuration)", () => {
  const body = { slug: "sys-made", name: "System-made", type: "Team", schema: obj({}) };

  it("lets a role in the system organization write, not the same role in another organization", async () => {
    await createRole(app.db.graph, {
      slug: "blueprint-editor",
      name: "Blueprint editor",
      permissions: ["blueprint:write", "blueprint:delete"],
    });
    const system = (await app.user("bp-system@imbi.test", [{ org: "default", role: "blueprint-editor" }]))
      .token;
    const alpha = (await app.user("bp-alpha@imbi.test", [{ org: "alpha", role: "blueprint-editor" }])).token;
    const denied = await expectProblem(await create(body, alpha), 403, "FORBIDDEN");
    expect(denied.detail).toContain("system organization 'default'");

    const res = await create(body, system);
    expect(res.status, await res.clone().text()).toBe(201);
    const renamed = await patch(
      "/Team/sys-made",
      [{ op: "replace", path: "/name", value: "Renamed" }],
      {},
      system,
    );
    expect(BlueprintSchema.parse(await renamed.json()).name).toBe("Renamed");
    await expectProblem(await app.json("DELETE", "/api/blueprints/Team/sys-made", undefined, alpha), 403);
    expect((await app.json("DELETE", "/api/blueprints/Team/sys-made", undefined, system)).status).toBe(204);

    // The verb writes the audit rows, naming the actor.
    await app.drain();
    const rows = (await app.analytics.listAudit({ actor: "bp-system@imbi.test", limit: 50 })).data;
    expect(rows.map((r) => [r.event, r.subject]).sort()).toEqual([
      ["blueprint_created", "sys-made"],
      ["blueprint_deleted", "sys-made"],
      ["blueprint_updated", "sys-made"],
    ]);
  });

  it("lets a member of any organization read, and refuses a user of none", async () => {
    const loner = (await app.user("bp-loner@imbi.test")).token;
    for (const path of [
      "",
      "/Team/svc",
      "/effective?type=Team",
      "/openapi-components",
      "/Project/api-tier/impact",
    ]) {
      await expectProblem(await get(path, loner), 403, "FORBIDDEN");
      expect((await get(path, reader)).status, path).toBe(200);
    }
    const proposed = { schema: obj({}) };
    await expectProblem(
      await app.json("POST", "/api/blueprints/Project/api-tier/impact", proposed, loner),
      403,
    );
    expect((await app.json("POST", "/api/blueprints/Project/api-tier/impact", proposed, reader)).status).toBe(
      200,
    );
  });
});
