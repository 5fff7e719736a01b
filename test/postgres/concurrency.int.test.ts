// Races only a real server can show. PGlite has one backend and runs one statement at a time, so
// these run only in the `postgres` project (vitest.config.ts), where the app's pool of 10
// connections sends requests to PostgreSQL 15 + AGE truly in parallel.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectSchema } from "../../functions/projects/schemas.ts";
import { ADMIN, startTestApp, type TestApp } from "../harness/app.ts";
import { body, seedBlueprints, seedCatalog } from "../harness/catalog.ts";

let app: TestApp;
beforeAll(async () => {
  expect(process.env.IMBI_TEST_POSTGRES).toBe("real");
  app = await startTestApp();
  await seedCatalog(app, "acme");
  await seedBlueprints(app);
  await app.user("dev@imbi.test", [{ org: "acme", role: "developer" }]);
});
afterAll(() => app?.stop());

const N = 10;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const projects = "/api/organizations/acme/projects";

/** How many responses had each status, e.g. `{ 200: 1, 412: 9 }`. */
function tally(responses: Response[]): Record<number, number> {
  const t: Record<number, number> = {};
  for (const r of responses) t[r.status] = (t[r.status] ?? 0) + 1;
  return t;
}

const patch = (path: string, ops: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: "PATCH",
    headers: {
      "Content-Type": "application/json-patch+json",
      Authorization: `Bearer ${app.adminToken}`,
      ...headers,
    },
    body: JSON.stringify(ops),
  });
const get = (path: string) => app.json("GET", path, undefined, app.adminToken);
const describeOp = (value: string) => [{ op: "replace", path: "/description", value }];

async function createProject(slug: string) {
  const res = await app.json("POST", projects, body({ slug }), app.adminToken);
  expect(res.status).toBe(201);
  return ProjectSchema.parse(await res.json());
}

async function etagOf(path: string): Promise<string> {
  const res = await get(path);
  expect(res.status).toBe(200);
  return res.headers.get("etag") as string;
}

/** The app's pool size on the real target (test/harness/pglite.ts): at most this many requests can wait on a lock. */
const POOL = 10;
/** The SQL name of a graph label's table. */
const label = (name: string) => `imbi."${name}"`;

/**
 * Starts `requests` while another connection holds an exclusive lock on `table`, waits until as
 * many of them as the pool allows are blocked on it, then lets them all go at once. Without this
 * barrier a request can finish its write before a slower one has even read, and the race under
 * test never happens; with it, the writers read the same version and write at the same time.
 */
async function released(table: string, requests: () => Promise<Response>[]): Promise<Response[]> {
  const holder = postgres(app.db.url, { max: 1, onnotice: () => undefined });
  try {
    let started: Promise<Response>[] = [];
    await holder.begin(async (tx) => {
      await tx.unsafe(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      started = requests();
      const want = Math.min(started.length, POOL);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [{ n }] = await tx.unsafe<[{ n: number }]>(
          `SELECT count(*)::int AS n FROM pg_locks
           WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND relation = $1::regclass AND NOT granted`,
          [table],
        );
        if (n >= want) break;
        if (Date.now() > deadline) throw new Error(`only ${n} of ${want} requests reached ${table}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    return await Promise.all(started);
  } finally {
    await holder.end({ timeout: 5 });
  }
}

/** Problem bodies of the losers name the precondition, never an internal error. */
async function expectOnlyPreconditionFailures(responses: Response[]) {
  for (const r of responses.filter((x) => x.status !== 200)) {
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(((await r.json()) as { code: string }).code).toBe("PRECONDITION_FAILED");
  }
}

describe("concurrent writes of one project", () => {
  it("If-Match patches with the same ETag: exactly one 200, the rest 412 (no lost update)", async () => {
    const p = await createProject("if-match-race");
    const path = `${projects}/${p.id}`;
    const etag = await etagOf(path);
    const res = await Promise.all(
      range(N).map((i) => patch(path, describeOp(`writer ${i}`), { "If-Match": etag })),
    );
    expect(tally(res)).toEqual({ 200: 1, 412: N - 1 });
    const winner = ProjectSchema.parse(await res.find((r) => r.status === 200)?.json());
    await expectOnlyPreconditionFailures(res);
    const final = ProjectSchema.parse(await (await get(path)).json());
    expect(final.description).toBe(winner.description);
  });

  it("unconditional patches all succeed, and the final state is one whole patch", async () => {
    const p = await createProject("last-writer-wins");
    const path = `${projects}/${p.id}`;
    // Half move the project to another team (an edge rewrite in the same transaction).
    const teamOf = (i: number) => (i % 2 === 0 ? "core" : "payments");
    const res = await released(label("Project"), () =>
      range(N).map((i) =>
        patch(path, [...describeOp(`writer ${i}`), { op: "replace", path: "/team", value: teamOf(i) }]),
      ),
    );
    expect(tally(res)).toEqual({ 200: N });
    const final = ProjectSchema.parse(await (await get(path)).json());
    const i = Number(/^writer (\d+)$/.exec(final.description)?.[1]);
    expect(range(N)).toContain(i);
    expect(final.team).toBe(teamOf(i));
    const owners = await app.db.graph.one(
      "MATCH (p:Project)-[o:OWNED_BY]->(:Team) WHERE p.id = $id RETURN count(o)",
      { id: p.id },
    );
    expect(Number(owners?.v)).toBe(1);
  });

  it("an archive racing patches: every request succeeds and the archive sticks", async () => {
    const p = await createProject("archive-race");
    const path = `${projects}/${p.id}`;
    const res = await released(label("Project"), () => [
      app.json("POST", `${path}/archive`, undefined, app.adminToken),
      ...range(5).map((i) => patch(path, describeOp(`writer ${i}`))),
    ]);
    expect(tally(res)).toEqual({ 200: 6 });
    const final = ProjectSchema.parse(await (await get(path)).json());
    expect(final.archived).toBe(true);
    expect(final.description).toMatch(/^writer [0-4]$/);
  });

  it("creates of one slug: exactly one 201, the rest 409", async () => {
    const res = await released(label("Project"), () =>
      range(20).map(() => app.json("POST", projects, body({ slug: "same-slug" }), app.adminToken)),
    );
    expect(tally(res)).toEqual({ 201: 1, 409: 19 });
    const n = await app.db.graph.one("MATCH (p:Project) WHERE p.slug = 'same-slug' RETURN count(p)");
    expect(Number(n?.v)).toBe(1);
  });

  it("creates of one dependency: one 201, the rest answer the same edge with 200", async () => {
    const [a, b] = [await createProject("dep-source"), await createProject("dep-target")];
    const res = await released(label("DEPENDS_ON"), () =>
      range(20).map(() =>
        app.json("POST", `${projects}/${a.id}/relationships/${b.id}`, undefined, app.adminToken),
      ),
    );
    expect(tally(res)).toEqual({ 201: 1, 200: 19 });
    const edges = await app.db.graph.one(
      "MATCH (a:Project)-[e:DEPENDS_ON]->(b:Project) WHERE a.id = $a AND b.id = $b RETURN count(e)",
      { a: a.id, b: b.id },
    );
    expect(Number(edges?.v)).toBe(1);
  });
});

describe("concurrent If-Match patches of every other resource: one 200, the rest 412", () => {
  /** The resource's path and the ETag every writer holds (from a GET, unless the row says how). */
  type Target = { path: string; etag?: string };
  // Each row: the label every writer reads, how to get the target, and the patch writer i sends.
  const rows: [string, string, () => Promise<Target>, (i: number) => unknown][] = [
    [
      "team",
      "Team",
      async () => ({ path: "/api/organizations/acme/teams/core" }),
      (i) => describeOp(`team ${i}`),
    ],
    [
      "environment",
      "Environment",
      async () => ({ path: "/api/organizations/acme/environments/staging" }),
      (i) => describeOp(`env ${i}`),
    ],
    [
      "project type",
      "ProjectType",
      async () => ({ path: "/api/organizations/acme/project-types/api" }),
      (i) => describeOp(`type ${i}`),
    ],
    [
      "organization",
      "Organization",
      async () => ({ path: "/api/organizations/acme" }),
      (i) => describeOp(`org ${i}`),
    ],
    [
      "user",
      "User",
      async () => ({ path: "/api/users/dev@imbi.test" }),
      (i) => [{ op: "replace", path: "/display_name", value: `Dev ${i}` }],
    ],
    [
      "membership",
      "MEMBER_OF",
      async () => {
        // A membership has no GET: its ETag comes with every write, here a no-op patch.
        const path = "/api/users/dev@imbi.test/organizations/acme";
        const res = await patch(path, [{ op: "replace", path: "/role", value: "developer" }]);
        expect(res.status).toBe(200);
        return { path, etag: res.headers.get("etag") as string };
      },
      // Every writer changes the role away from the one the ETag was computed on.
      () => [{ op: "replace", path: "/role", value: "readonly" }],
    ],
    [
      "role",
      "Role",
      async () => {
        const res = await app.json("POST", "/api/roles", { slug: "sre", name: "SRE" }, app.adminToken);
        expect(res.status).toBe(201);
        return { path: "/api/roles/sre" };
      },
      (i) => describeOp(`role ${i}`),
    ],
    [
      "scoring policy",
      "ScoringPolicy",
      async () => {
        const res = await app.json(
          "POST",
          "/api/scoring/policies",
          {
            name: "Language",
            category: "attribute",
            attribute_name: "language",
            weight: 40,
            value_score_map: { go: 100 },
          },
          app.adminToken,
        );
        expect(res.status).toBe(201);
        return { path: "/api/scoring/policies/language" };
      },
      (i) => describeOp(`policy ${i}`),
    ],
    [
      "blueprint",
      "Blueprint",
      async () => ({ path: "/api/blueprints/Project/service-basics" }),
      (i) => describeOp(`blueprint ${i}`),
    ],
    [
      "project environment",
      "Project",
      async () => {
        // An environment of a project is written under the project's ETag.
        const project = `${projects}/${(await createProject("env-race")).id}`;
        return { path: `${project}/environments/staging`, etag: await etagOf(project) };
      },
      (i) => [{ op: "add", path: "/url", value: `https://env-${i}.example` }],
    ],
  ];

  it.each(rows)("a %s", async (_, table, prepare, ops) => {
    const target = await prepare();
    // Rescoring a create triggers would hold pool connections and serialize the writers below.
    await app.settle();
    const etag = target.etag ?? (await etagOf(target.path));
    const res = await released(label(table), () =>
      range(N).map((i) => patch(target.path, ops(i), { "If-Match": etag })),
    );
    expect(tally(res)).toEqual({ 200: 1, 412: N - 1 });
    await expectOnlyPreconditionFailures(res);
  });
});

describe("sessions", () => {
  it("concurrent refreshes of one token: one rotates it, the others are retries within the grace", async () => {
    const login = await app.json("POST", "/api/auth/login", { email: ADMIN.email, password: ADMIN.password });
    expect(login.status).toBe(200);
    const { refresh_token, session_id } = (await login.json()) as {
      refresh_token: string;
      session_id: string;
    };
    const res = await released("refresh_tokens", () =>
      range(8).map(() => app.json("POST", "/api/auth/token/refresh", { refresh_token })),
    );
    // A browser's tabs refreshing at once must not end the session: every one gets its own token
    // of the same session, and the session stays live.
    expect(tally(res)).toEqual({ 200: 8 });
    const tokens = await Promise.all(
      res.map(async (r) => (await r.json()) as { refresh_token: string; session_id: string }),
    );
    expect(new Set(tokens.map((t) => t.refresh_token)).size).toBe(8);
    expect(new Set(tokens.map((t) => t.session_id))).toEqual(new Set([session_id]));
    const [family] = await app.db.sql<{ revoked_at: Date | null }[]>`
      SELECT revoked_at FROM session_families WHERE id = ${session_id}`;
    expect(family?.revoked_at).toBeNull();
  });
});

describe("roles with a parent", () => {
  // AGE's variable-length MATCH (the inheritance-cycle check) asks for a share lock on the edge
  // table that concurrent role writes hold: six at once hung forever until the check became SQL.
  it("six concurrent creates that inherit all succeed, and a cycle is still refused", async () => {
    const created = await Promise.all(
      range(6).map((i) =>
        app.json(
          "POST",
          "/api/roles",
          { slug: `heir-${i}`, name: `Heir ${i}`, inherits_from: "developer", permissions: ["project:read"] },
          app.adminToken,
        ),
      ),
    );
    expect(tally(created)).toEqual({ 201: 6 });
    const child = await app.json(
      "POST",
      "/api/roles",
      { slug: "heir-child", name: "Child", inherits_from: "heir-0" },
      app.adminToken,
    );
    expect(child.status).toBe(201);
    const cycle = await app.request("/api/roles/heir-0", {
      method: "PATCH",
      headers: { "Content-Type": "application/json-patch+json", Authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify([{ op: "replace", path: "/inherits_from", value: "heir-child" }]),
    });
    expect(cycle.status).toBe(400);
  });
});
