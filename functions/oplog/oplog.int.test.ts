import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordProjectEvents } from "../../lib/oplog/events.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedEnvironment, seedProject } from "../../test/harness/oplog_seed.ts";
import {
  EventPageSchema,
  OperationEntryPageSchema,
  OperationEntrySchema,
  OperationMetricsSchema,
} from "./schemas.ts";

let app: TestApp;
let p1: string;
let p2: string;
let foreign: string;
let opsAdmin: string; // admin role in acme
let reader: string; // default role in acme: reads only
let outsider: string; // admin role in globex only

beforeAll(async () => {
  app = await startTestApp();
  await app.org("acme");
  await app.org("globex");
  const g = app.db.graph;
  for (const env of ["production", "staging"]) await seedEnvironment(g, "acme", env);
  await seedEnvironment(g, "globex", "production");
  p1 = await seedProject(g, "acme", "api");
  p2 = await seedProject(g, "acme", "web");
  foreign = await seedProject(g, "globex", "billing");
  opsAdmin = (await app.user("ops@acme.test", [{ org: "acme", role: "admin" }])).token;
  reader = (await app.user("reader@acme.test", [{ org: "acme", role: "default" }])).token;
  outsider = (await app.user("ops@globex.test", [{ org: "globex", role: "admin" }])).token;
});

afterAll(async () => {
  await app?.stop();
});

const entry = (over: Record<string, unknown> = {}) => ({
  project_id: p1,
  environment_slug: "production",
  entry_type: "Deployed",
  description: "Deployed v1",
  ...over,
});

async function create(body: Record<string, unknown>, token = opsAdmin) {
  const res = await app.json("POST", "/api/operations-log", body, token);
  expect(res.status).toBe(201);
  return OperationEntrySchema.parse(await res.json());
}

describe("operations log routes", () => {
  it("creates, reads, patches (new version) and deletes (tombstone) an entry", async () => {
    const res = await app.json(
      "POST",
      "/api/operations-log",
      entry({
        occurred_at: "2024-05-01T12:00:00Z",
        version: "v1",
        ticket_slug: "OPS-1",
        link: "https://ci.example.com/1",
      }),
      opsAdmin,
    );
    expect(res.status).toBe(201);
    const created = OperationEntrySchema.parse(await res.json());
    expect(res.headers.get("Location")).toBe(`/api/operations-log/${created.id}`);
    expect(created).toMatchObject({
      organization: "acme",
      project_id: p1,
      recorded_by: "ops@acme.test",
      version: "v1",
      performed_by: null,
      completed_at: null,
      occurred_at: "2024-05-01T12:00:00.000Z",
    });

    const got = await app.json("GET", `/api/operations-log/${created.id}`, undefined, reader);
    expect(got.status).toBe(200);
    const etag = got.headers.get("ETag") ?? "";
    expect(OperationEntrySchema.parse(await got.json())).toEqual(created);

    const patch = (ops: unknown, token = opsAdmin, headers: Record<string, string> = {}) =>
      app.json("PATCH", `/api/operations-log/${created.id}`, ops, token, headers);
    expect((await patch([{ op: "replace", path: "/id", value: "x" }])).status).toBe(400);
    expect((await patch([{ op: "replace", path: "/row_version", value: 1 }])).status).toBe(400);
    expect((await patch([{ op: "replace", path: "/environment_slug", value: "nowhere" }])).status).toBe(400);
    expect((await patch([{ op: "test", path: "/version", value: "v9" }])).status).toBe(422);
    expect((await patch([{ op: "replace", path: "/description", value: "x" }], reader)).status).toBe(403);
    const updated = await patch(
      [
        { op: "replace", path: "/environment_slug", value: "staging" },
        { op: "replace", path: "/completed_at", value: "2024-05-01T12:05:00Z" },
      ],
      opsAdmin,
      { "If-Match": etag },
    );
    expect(updated.status).toBe(200);
    const v2 = OperationEntrySchema.parse(await updated.json());
    expect(v2.row_version).toBeGreaterThan(created.row_version);
    expect(v2).toMatchObject({
      environment_slug: "staging",
      completed_at: "2024-05-01T12:05:00.000Z",
      version: "v1",
    });
    expect(
      (await patch([{ op: "replace", path: "/notes", value: "n" }], opsAdmin, { "If-Match": etag })).status,
    ).toBe(412);
    const again = OperationEntrySchema.parse(
      await (await app.json("GET", `/api/operations-log/${created.id}`, undefined, opsAdmin)).json(),
    );
    expect(again).toEqual(v2);

    expect((await app.json("DELETE", `/api/operations-log/${created.id}`, undefined, reader)).status).toBe(
      403,
    );
    expect((await app.json("DELETE", `/api/operations-log/${created.id}`, undefined, outsider)).status).toBe(
      403,
    );
    expect((await app.json("DELETE", `/api/operations-log/${created.id}`, undefined, opsAdmin)).status).toBe(
      204,
    );
    expect((await app.json("DELETE", `/api/operations-log/${created.id}`, undefined, opsAdmin)).status).toBe(
      404,
    );
    expect((await app.json("GET", `/api/operations-log/${created.id}`, undefined, opsAdmin)).status).toBe(
      404,
    );
  });

  it("validates the body and checks permissions in the project's organization", async () => {
    const post = (body: unknown, token = opsAdmin) => app.json("POST", "/api/operations-log", body, token);
    expect((await post(entry(), "")).status).toBe(401);
    expect((await post(entry({ entry_type: "Exploded" }))).status).toBe(400);
    expect((await post(entry({ description: "" }))).status).toBe(400);
    expect((await post(entry({ unknown: 1 }))).status).toBe(400);
    expect((await post(entry({ occurred_at: "1960-01-01T00:00:00Z" }))).status).toBe(400);
    expect((await post(entry({ project_id: "no-such-project" }))).status).toBe(400);
    expect((await post(entry({ environment_slug: "nowhere" }))).status).toBe(400);
    // The default role reads but cannot create; another org's admin cannot touch acme's projects.
    expect((await post(entry(), reader)).status).toBe(403);
    expect((await post(entry(), outsider)).status).toBe(403);
    // …but can log against its own.
    const own = await create(entry({ project_id: foreign }), outsider);
    expect(own.organization).toBe("globex");
    expect((await app.json("GET", `/api/operations-log/${own.id}`, undefined, reader)).status).toBe(403);
    expect((await app.json("GET", "/api/operations-log?organization=globex", undefined, reader)).status).toBe(
      403,
    );
    expect((await app.json("GET", "/api/operations-log", undefined, reader)).status).toBe(403);
  });

  it("lists with filters, metrics over the whole filter, and pages with Link headers", async () => {
    const t = (m: number) => new Date(Date.UTC(2023, 0, 1, 0, m)).toISOString();
    for (let i = 0; i < 7; i++)
      await create(
        entry({
          project_id: i < 4 ? p1 : p2,
          environment_slug: i % 2 ? "staging" : "production",
          entry_type: i === 6 ? "Restarted" : "Deployed",
          performed_by: i < 3 ? "ada" : "bob",
          description: `batch-2023 #${i}`,
          occurred_at: t(i),
        }),
      );
    const list = async (qs: string, token = reader) => {
      const res = await app.json(
        "GET",
        `/api/operations-log?organization=acme&${qs.includes("until=") ? "" : "until=2024-01-01T00:00:00Z&"}${qs}`,
        undefined,
        token,
      );
      expect(res.status).toBe(200);
      return { res, body: OperationEntryPageSchema.parse(await res.json()) };
    };
    const descs = async (qs: string) =>
      (await list(qs)).body.data.map((e) => e.description.split(" ").at(-1));
    expect(await descs("")).toEqual(["#6", "#5", "#4", "#3", "#2", "#1", "#0"]);
    expect(await descs(`project_id=${p2}`)).toEqual(["#6", "#5", "#4"]);
    expect(await descs("environment_slug=staging&performed_by=bob")).toEqual(["#5", "#3"]);
    expect(await descs("entry_type=Restarted")).toEqual(["#6"]);
    expect(await descs(`since=${t(2)}&until=${t(4)}`)).toEqual(["#3", "#2"]);
    expect(await descs("q=%235")).toEqual(["#5"]);

    const first = await list("limit=3");
    expect(first.body.data).toHaveLength(3);
    expect(first.res.headers.get("Link")).toMatch(/rel="next"/);
    const cursor = first.body.next_cursor ?? "";
    const second = await list(`limit=3&cursor=${cursor}`);
    const third = await list(`limit=3&cursor=${second.body.next_cursor}`);
    expect(third.body.next_cursor).toBeNull();
    expect([...first.body.data, ...second.body.data, ...third.body.data].map((e) => e.id)).toEqual(
      (await list("")).body.data.map((e) => e.id),
    );
    expect(
      (await app.json("GET", "/api/operations-log?organization=acme&cursor=junk", undefined, reader)).status,
    ).toBe(400);
    expect(
      (await app.json("GET", "/api/operations-log?organization=acme&nope=1", undefined, reader)).status,
    ).toBe(400);
    expect(
      (await app.json("GET", "/api/operations-log?organization=acme&limit=501", undefined, reader)).status,
    ).toBe(400);

    const m = await app.json(
      "GET",
      "/api/operations-log/metrics?organization=acme&until=2024-01-01T00:00:00Z",
      undefined,
      reader,
    );
    expect(m.status).toBe(200);
    expect(OperationMetricsSchema.parse(await m.json())).toEqual({
      total: 7,
      projects: 2,
      by_entry_type: { Deployed: 6, Restarted: 1 },
      by_environment: { production: 4, staging: 3 },
    });

    const proj = await app.json(
      "GET",
      `/api/organizations/acme/projects/${p2}/operations-log?until=2024-01-01T00:00:00Z`,
      undefined,
      reader,
    );
    expect(proj.status).toBe(200);
    expect(OperationEntryPageSchema.parse(await proj.json()).data).toHaveLength(3);
    expect(
      (await app.json("GET", `/api/organizations/acme/projects/${foreign}/operations-log`, undefined, reader))
        .status,
    ).toBe(404);
    expect(
      (
        await app.json(
          "GET",
          `/api/organizations/globex/projects/${foreign}/operations-log`,
          undefined,
          reader,
        )
      ).status,
    ).toBe(403);
    // Admins may list across organizations.
    const all = await app.json("GET", "/api/operations-log?limit=500", undefined, app.adminToken);
    expect(all.status).toBe(200);
  });
});

describe("events routes", () => {
  it("records one event per changed field and serves the feeds", async () => {
    const before = { id: p1, slug: "api", name: "API", links: { repo: "a" }, updated_at: "1" };
    const after = { id: p1, slug: "api", name: "API v2", links: { repo: "b" }, updated_at: "2" };
    await recordProjectEvents(app.services, {
      org: "acme",
      projectId: p1,
      action: "created",
      before: null,
      after: before,
      principal: "ops@acme.test",
    });
    await recordProjectEvents(app.services, {
      org: "acme",
      projectId: p1,
      action: "updated",
      before,
      after,
      principal: "ops@acme.test",
    });
    await recordProjectEvents(app.services, {
      org: "acme",
      projectId: p1,
      action: "updated",
      before: after,
      after: { ...after },
      principal: "x",
    });
    await app.drain();

    const res = await app.json(
      "GET",
      `/api/organizations/acme/projects/${p1}/events?limit=50`,
      undefined,
      reader,
    );
    expect(res.status).toBe(200);
    const page = EventPageSchema.parse(await res.json());
    const updates = page.data.filter((e) => e.action === "updated");
    expect(updates.map((e) => [e.field, e.old_value, e.new_value]).sort()).toEqual([
      ["links", { repo: "a" }, { repo: "b" }],
      ["name", "API", "API v2"],
    ]);
    expect(
      page.data
        .filter((e) => e.action === "created")
        .map((e) => e.field)
        .sort(),
    ).toEqual(["id", "links", "name", "slug", "updated_at"]);
    const filtered = await app.json(
      "GET",
      `/api/organizations/acme/projects/${p1}/events?field=name&action=updated`,
      undefined,
      reader,
    );
    expect(EventPageSchema.parse(await filtered.json()).data).toHaveLength(1);

    expect((await app.json("GET", "/api/events", undefined, reader)).status).toBe(403);
    const feed = await app.json("GET", `/api/events?entity_id=${p1}&limit=2`, undefined, app.adminToken);
    expect(feed.status).toBe(200);
    const fp = EventPageSchema.parse(await feed.json());
    expect(fp.data).toHaveLength(2);
    expect(fp.next_cursor).not.toBeNull();
    expect(
      (await app.json("GET", `/api/organizations/globex/projects/${p1}/events`, undefined, outsider)).status,
    ).toBe(404);
    expect(
      (await app.json("GET", `/api/organizations/acme/projects/${p1}/events`, undefined, outsider)).status,
    ).toBe(403);
  });
});
