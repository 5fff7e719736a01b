import { nanoid } from "nanoid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UniqueViolation } from "../../lib/graph/graph.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { DependencySchema, RelationshipsSchema } from "./schemas.ts";

let app: TestApp;
let dev: string;
let reader: string;
let outsider: string;
const ids: Record<string, string> = {};

/** Seeds a team, a project type and projects straight into the graph (per docs/catalog-model.md). */
async function seedOrg(org: string, projects: string[]) {
  await app.org(org);
  const now = new Date().toISOString();
  await app.db.graph.query(
    `MATCH (o:Organization) WHERE o.slug = $org
     CREATE (:Team {id: $tid, org_id: o.id, slug: 'core', name: 'Core'})-[:BELONGS_TO]->(o),
            (:ProjectType {id: $pid, org_id: o.id, slug: 'api', name: 'API'})-[:BELONGS_TO]->(o)`,
    { org, tid: nanoid(), pid: nanoid() },
    ["x"],
  );
  for (const slug of projects) {
    ids[slug] = nanoid();
    await app.db.graph.query(
      `MATCH (o:Organization) WHERE o.slug = $org
       MATCH (t:Team) WHERE t.org_id = o.id AND t.slug = 'core'
       MATCH (pt:ProjectType) WHERE pt.org_id = o.id AND pt.slug = 'api'
       CREATE (p:Project {id: $id, org_id: o.id, slug: $slug, name: $name, archived: false, created_at: $now, updated_at: $now})
       CREATE (p)-[:BELONGS_TO]->(o), (p)-[:OWNED_BY]->(t), (p)-[:TYPE]->(pt)`,
      { org, id: ids[slug], slug, name: `${slug.toUpperCase()} service`, now },
      ["x"],
    );
  }
}

beforeAll(async () => {
  app = await startTestApp({ kv: "memory" });
  await seedOrg("acme", ["alpha", "beta", "gamma", "delta", "eps"]);
  await seedOrg("other", ["secret"]);
  dev = (await app.user("dev@imbi.test", [{ org: "acme", role: "developer" }])).token;
  reader = (await app.user("reader@imbi.test", [{ org: "acme", role: "readonly" }])).token;
  outsider = (await app.user("out@imbi.test", [{ org: "other", role: "developer" }])).token;
});
afterAll(() => app?.stop());

const rel = (a: string, b: string) => `/api/organizations/acme/projects/${a}/relationships/${b}`;
const post = (a: string, b: string, token = dev) => app.json("POST", rel(a, b), undefined, token);
const edgeCount = async (a: string, b: string) =>
  Number(
    (
      await app.db.graph.one(
        "MATCH (a:Project)-[e:DEPENDS_ON]->(b:Project) WHERE a.id = $a AND b.id = $b RETURN count(e)",
        { a, b },
      )
    )?.v,
  );

describe("create a dependency", () => {
  it("creates with 201, then answers 200 with the same edge", async () => {
    const res = await post(ids.alpha as string, ids.beta as string);
    expect(res.status).toBe(201);
    const first = DependencySchema.parse(await res.json());
    expect(first.source).toEqual({ id: ids.alpha, slug: "alpha", name: "ALPHA service", archived: false });
    expect(first.target.slug).toBe("beta");
    const again = await post(ids.alpha as string, ids.beta as string);
    expect(again.status).toBe(200);
    expect(DependencySchema.parse(await again.json()).created_at).toBe(first.created_at);
    expect(await edgeCount(ids.alpha as string, ids.beta as string)).toBe(1);
  });

  it("rejects a self-dependency with 400", async () => {
    await expectProblem(await post(ids.alpha as string, ids.alpha as string), 400, "BAD_REQUEST");
  });

  it("answers a target in another organization exactly like a missing one, without leaking it", async () => {
    const foreign = await expectProblem(
      await post(ids.alpha as string, ids.secret as string),
      404,
      "NOT_FOUND",
    );
    const missing = nanoid();
    const absent = await expectProblem(await post(ids.alpha as string, missing), 404, "NOT_FOUND");
    expect(foreign.detail.replace(ids.secret as string, "X")).toBe(absent.detail.replace(missing, "X"));
    expect(JSON.stringify(foreign)).not.toMatch(/secret|SECRET service/);
    expect(await edgeCount(ids.alpha as string, ids.secret as string)).toBe(0);
  });

  it("answers 404 for a missing source or one in another organization", async () => {
    await expectProblem(await post(nanoid(), ids.beta as string), 404, "NOT_FOUND");
    await expectProblem(await post(ids.secret as string, ids.beta as string), 404, "NOT_FOUND");
  });

  it("creates exactly one edge under 10 parallel identical POSTs", async () => {
    const res = await Promise.all(
      Array.from({ length: 10 }, () => post(ids.gamma as string, ids.delta as string)),
    );
    expect(res.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await edgeCount(ids.gamma as string, ids.delta as string)).toBe(1);
  });

  it("creates both directions once each when A→B and B→A race", async () => {
    const [a, b] = [ids.beta as string, ids.eps as string];
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? post(a, b) : post(b, a))));
    expect(res.filter((r) => r.status === 201)).toHaveLength(2);
    expect(res.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(await edgeCount(a, b)).toBe(1);
    expect(await edgeCount(b, a)).toBe(1);
  });

  it("has a unique (start_id, end_id) index that rejects a duplicate written around the API", async () => {
    await expect(
      app.db.graph.query(
        `MATCH (a:Project), (b:Project) WHERE a.id = $a AND b.id = $b CREATE (a)-[:DEPENDS_ON]->(b)`,
        { a: ids.alpha, b: ids.beta },
        ["x"],
      ),
    ).rejects.toBeInstanceOf(UniqueViolation);
  });
});

describe("list and delete dependencies", () => {
  it("lists outbound and inbound edges with counts", async () => {
    const res = await app.json(
      "GET",
      `/api/organizations/acme/projects/${ids.beta}/relationships`,
      undefined,
      reader,
    );
    expect(res.status).toBe(200);
    const body = RelationshipsSchema.parse(await res.json());
    expect(body.outbound.map((r) => r.slug)).toEqual(["eps"]);
    expect(body.inbound.map((r) => r.slug)).toEqual(["alpha", "eps"]);
    expect(body.counts).toEqual({ outbound: 1, inbound: 2 });
    expect(body.inbound[0]?.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("answers 404 for the relationships of a missing or foreign project", async () => {
    await expectProblem(
      await app.json("GET", `/api/organizations/acme/projects/${ids.secret}/relationships`, undefined, dev),
      404,
    );
  });

  it("deletes with 204, then 404", async () => {
    const del = () => app.json("DELETE", rel(ids.beta as string, ids.eps as string), undefined, dev);
    expect((await del()).status).toBe(204);
    expect(await edgeCount(ids.beta as string, ids.eps as string)).toBe(0);
    expect(await edgeCount(ids.eps as string, ids.beta as string)).toBe(1);
    await expectProblem(await del(), 404, "NOT_FOUND");
  });
});

describe("access and validation", () => {
  it("needs credentials (401)", async () => {
    await expectProblem(await app.json("POST", rel(ids.alpha as string, ids.gamma as string)), 401);
    await expectProblem(
      await app.json("GET", `/api/organizations/acme/projects/${ids.alpha}/relationships`),
      401,
    );
  });

  it("forbids another organization's principal and a reader's writes (403)", async () => {
    await expectProblem(await post(ids.alpha as string, ids.gamma as string, outsider), 403, "FORBIDDEN");
    await expectProblem(
      await app.json(
        "GET",
        `/api/organizations/acme/projects/${ids.alpha}/relationships`,
        undefined,
        outsider,
      ),
      403,
    );
    await expectProblem(await post(ids.alpha as string, ids.gamma as string, reader), 403, "FORBIDDEN");
    await expectProblem(
      await app.json("DELETE", rel(ids.alpha as string, ids.beta as string), undefined, reader),
      403,
    );
    expect(await edgeCount(ids.alpha as string, ids.gamma as string)).toBe(0);
  });

  it.each([
    ["one-character reference", "a"],
    ["id with a quote", `${"a".repeat(20)}'`],
    ["22-character mixed-case reference", "A".repeat(22)],
    ["64-character slug", "a".repeat(64)],
  ])("rejects a %s with 400", async (_, bad) => {
    await expectProblem(await post(bad, ids.beta as string), 400, "VALIDATION_FAILED");
    await expectProblem(await post(ids.alpha as string, encodeURIComponent(bad)), 400, "VALIDATION_FAILED");
  });
});

it.each(["abc", "a".repeat(22)])("answers 404 for the unknown slug %s", async (slug) => {
  await expectProblem(await post(slug, ids.beta as string), 404, "NOT_FOUND");
  await expectProblem(await post(ids.alpha as string, slug), 404, "NOT_FOUND");
});

describe("cycles are reported when a dependency closes one", () => {
  it("answers creates_cycle with the cycle from the source", async () => {
    const [a, b, c] = ["cyc-a", "cyc-b", "cyc-c"];
    await seedOrg("cyclic", [a, b, c]);
    const link = (x: string, y: string) =>
      app.json(
        "POST",
        `/api/organizations/cyclic/projects/${ids[x]}/relationships/${ids[y]}`,
        undefined,
        app.adminToken,
      );
    const first = DependencySchema.parse(await (await link(a, b)).json());
    expect(first).toMatchObject({ creates_cycle: false, cycle: null });
    expect((await link(b, c)).status).toBe(201);
    const closing = await link(c, a);
    expect(closing.status).toBe(201);
    const body = DependencySchema.parse(await closing.json());
    expect(body.creates_cycle).toBe(true);
    expect(body.cycle?.map((p) => p.slug)).toEqual([c, a, b]);
    // Asking again for an edge that is already there still says it is part of the cycle.
    expect(DependencySchema.parse(await (await link(c, a)).json()).cycle?.map((p) => p.slug)).toEqual([
      c,
      a,
      b,
    ]);
  });
});
