// Concurrent reports of one CI run, concurrent creates of one release version, and concurrent
// publishes of one release, on the real server (the app's pool sends them to PostgreSQL truly in
// parallel; PGlite would serialize them).
import { afterAll, beforeAll, expect, it } from "vitest";
import { DeploymentPageSchema, DeploymentSchema, ReleaseSchema } from "../../functions/releases/schemas.ts";
import { startTestApp, type TestApp } from "../harness/app.ts";
import { seedCatalog } from "../harness/catalog.ts";

let app: TestApp;
let base: string;
beforeAll(async () => {
  expect(process.env.IMBI_TEST_POSTGRES).toBe("real");
  app = await startTestApp();
  await seedCatalog(app, "acme");
  const res = await app.json(
    "POST",
    "/api/organizations/acme/projects",
    { slug: "racy", name: "racy", team: "core", project_types: ["api"] },
    app.adminToken,
  );
  base = `/api/organizations/acme/projects/${((await res.json()) as { id: string }).id}`;
});
afterAll(() => app?.stop());

const N = 10;
/** How many responses had each status, e.g. `{ 200: 9, 201: 1 }`. */
function tally(responses: Response[]): Record<number, number> {
  const t: Record<number, number> = {};
  for (const r of responses) t[r.status] = (t[r.status] ?? 0) + 1;
  return t;
}

it("records one deployment for concurrent reports of one run, ending in its terminal status", async () => {
  const reports = Array.from({ length: N }, (_, i) =>
    app.json(
      "POST",
      `${base}/deployments`,
      {
        environment: "production",
        ref: "v1.0.0",
        status: i === 0 ? "success" : "in_progress",
        external_run_id: "r-1",
      },
      app.adminToken,
    ),
  );
  const answers = await Promise.all(reports);
  expect(tally(answers)).toEqual({ 200: N - 1, 201: 1 });
  const ids = new Set(await Promise.all(answers.map(async (r) => DeploymentSchema.parse(await r.json()).id)));
  expect(ids.size).toBe(1);
  const history = DeploymentPageSchema.parse(
    await (await app.json("GET", `${base}/deployments`, undefined, app.adminToken)).json(),
  );
  expect(history.data.map((d) => d.status)).toEqual(["success"]);
});

it("creates a release version once under concurrent creates", async () => {
  const answers = await Promise.all(
    Array.from({ length: N }, () =>
      app.json("POST", `${base}/releases`, { version: "2.0.0" }, app.adminToken),
    ),
  );
  expect(tally(answers)).toEqual({ 201: 1, 409: N - 1 });
});

it("publishes a release once under concurrent publishes: one 200, the others a 409", async () => {
  const created = await app.json("POST", `${base}/releases`, { version: "3.0.0" }, app.adminToken);
  expect(created.status).toBe(201);
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      app.json("POST", `${base}/releases/3.0.0/publish`, { prerelease: i % 2 === 0 }, app.adminToken),
    ),
  );
  expect(tally(answers)).toEqual({ 200: 1, 409: N - 1 });
  const winner = answers.find((r) => r.status === 200);
  const published = ReleaseSchema.parse(await winner?.json());
  const stored = ReleaseSchema.parse(
    await (await app.json("GET", `${base}/releases/3.0.0`, undefined, app.adminToken)).json(),
  );
  // The stored publication is the winner's, not a later loser's overwrite.
  expect(stored).toMatchObject({ published_at: published.published_at, prerelease: published.prerelease });
});
