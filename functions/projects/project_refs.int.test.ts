// A project can be addressed by its id or its slug wherever a route names one (paths, the path
// query, the rescore body), with the same 404 for an unknown reference and the same 400 for one
// that is neither shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemSchema } from "../../lib/http/problem.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";

let app: TestApp;
const ORG = "/api/organizations/default";
const P = `${ORG}/projects`;
const ids: Record<string, string> = {};

async function create(slug: string) {
  const res = await app.json(
    "POST",
    P,
    { slug, name: `${slug} service`, team: "core", project_types: ["api"] },
    app.adminToken,
  );
  expect(res.status).toBe(201);
  ids[slug] = ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  app = await startTestApp({ kv: "memory" });
  expect(
    (await app.json("POST", `${ORG}/teams`, { slug: "core", name: "Core" }, app.adminToken)).status,
  ).toBe(201);
  expect(
    (await app.json("POST", `${ORG}/project-types`, { slug: "api", name: "API" }, app.adminToken)).status,
  ).toBe(201);
  for (const slug of ["checkout", "ledger", "billing", "abcdefghijklmnopqrstu"]) await create(slug);
});
afterAll(() => app?.stop());

const call = (method: string, path: string, body?: unknown) => app.json(method, path, body, app.adminToken);
const ok = async (res: Response, status = 200) => {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.status === 204 ? null : ((await res.json()) as Record<string, unknown>);
};

describe("the project routes take an id or a slug", () => {
  it("GET answers the same project and ETag either way", async () => {
    const [byId, bySlug] = [await call("GET", `${P}/${ids.checkout}`), await call("GET", `${P}/checkout`)];
    expect((await ok(bySlug))?.id).toBe(ids.checkout);
    expect(bySlug.headers.get("etag")).toBe(byId.headers.get("etag"));
  });

  it("patches, archives, unarchives and reads the schema by slug", async () => {
    const patched = await app.request(`${P}/ledger`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${app.adminToken}`, "Content-Type": "application/json-patch+json" },
      body: JSON.stringify([{ op: "replace", path: "/description", value: "Books" }]),
    });
    expect((await ok(patched))?.description).toBe("Books");
    expect((await ok(await call("POST", `${P}/ledger/archive`)))?.archived).toBe(true);
    expect((await ok(await call("POST", `${P}/ledger/unarchive`)))?.archived).toBe(false);
    expect((await ok(await call("GET", `${P}/ledger/schema`)))?.type).toBe("object");
  });

  it("adds, lists, follows and removes dependencies by slug", async () => {
    await ok(await call("POST", `${P}/checkout/relationships/ledger`), 201);
    await ok(await call("POST", `${P}/ledger/relationships/${ids.billing}`), 201);
    const rels = await ok(await call("GET", `${P}/checkout/relationships`));
    expect(rels?.counts).toEqual({ outbound: 1, inbound: 0 });
    const deps = await ok(await call("GET", `${P}/checkout/dependencies?depth=3`));
    expect(JSON.stringify(deps)).toContain(ids.billing);
    const closure = await ok(await call("GET", `${P}/checkout/dependencies/closure`));
    expect(JSON.stringify(closure)).toContain(ids.ledger);
    const path = await ok(await call("GET", `${ORG}/graph/path?from=checkout&to=billing`));
    expect(JSON.stringify(path)).toContain(ids.ledger);
    await ok(await call("DELETE", `${P}/checkout/relationships/ledger`), 204);
    expect((await ok(await call("GET", `${P}/checkout/relationships`)))?.counts).toEqual({
      outbound: 0,
      inbound: 0,
    });
  });

  it("reads scores, events and the operations log by slug", async () => {
    expect((await ok(await call("GET", `${P}/billing/score`)))?.project_id).toBe(ids.billing);
    expect((await ok(await call("GET", `${P}/billing/score/history`)))?.project_id).toBe(ids.billing);
    await ok(await call("GET", `${P}/billing/score/trend`));
    await app.drain();
    const events = (await ok(await call("GET", `${P}/billing/events`))) as { data: { entity_id: string }[] };
    expect(events.data.length).toBeGreaterThan(0);
    expect(events.data.every((e) => e.entity_id === ids.billing)).toBe(true);
    await ok(await call("GET", `${P}/billing/operations-log`));
  });

  it("rescores a project named by slug", async () => {
    const res = await call("POST", "/api/scoring/rescore", {
      organization: "default",
      project_id: "billing",
    });
    expect((await ok(res, 202))?.requested).toBe(1);
  });

  it("deletes by slug", async () => {
    await create("short-lived");
    await ok(await call("DELETE", `${P}/short-lived`), 204);
    expect((await call("GET", `${P}/${ids["short-lived"]}`)).status).toBe(404);
  });
});

describe("references that look like both", () => {
  it("finds a 21-character lowercase slug", async () => {
    expect((await ok(await call("GET", `${P}/abcdefghijklmnopqrstu`)))?.id).toBe(ids.abcdefghijklmnopqrstu);
  });

  it("prefers the project whose id it is", async () => {
    // A project whose id is shaped like another's slug (possible, if unlikely, for Nano-IDs).
    const now = new Date().toISOString();
    await app.db.graph.query(
      `MATCH (o:Organization {slug: 'default'})
       CREATE (:Project {id: 'zzzzzzzzzzzzzzzzzzzzz', org_id: o.id, slug: 'by-id', name: 'By id', archived: false,
               created_at: $now, updated_at: $now})-[:BELONGS_TO]->(o)`,
      { now },
    );
    await create("zzzzzzzzzzzzzzzzzzzzz");
    expect((await ok(await call("GET", `${P}/zzzzzzzzzzzzzzzzzzzzz`)))?.slug).toBe("by-id");
    expect((await ok(await call("GET", `${P}/${ids.zzzzzzzzzzzzzzzzzzzzz}`)))?.slug).toBe(
      "zzzzzzzzzzzzzzzzzzzzz",
    );
  });
});

describe("errors", () => {
  it.each([
    `${P}/no-such-project`,
    `${P}/no-such-project/relationships`,
    `${P}/no-such-project/score`,
    `${P}/no-such-project/events`,
    `${P}/checkout/relationships/no-such-project`,
  ])("an unknown slug is a 404 naming it (%s)", async (path) => {
    const res = await call(path.endsWith("/relationships/no-such-project") ? "POST" : "GET", path);
    expect(res.status).toBe(404);
    expect(ProblemSchema.parse(await res.json()).detail).toContain("no-such-project");
  });

  it("a reference that is neither an id nor a slug is a 400 saying what is accepted", async () => {
    for (const path of [
      `${P}/Not_A_Slug`,
      `${P}/checkout/relationships/x`,
      `${ORG}/graph/path?from=A!&to=b`,
    ]) {
      const res = await call(path.includes("relationships") ? "POST" : "GET", path);
      expect(res.status).toBe(400);
      expect(ProblemSchema.parse(await res.json()).detail).toContain("project id");
    }
  });
});
