// The hot reads (DESIGN.md §12: get project, a list page, facets) cost the same number of database
// statements on verbs as they did in the handlers: authentication loads the user, the organization
// and the caller's role in one statement, the verb's permission check reads the role version (its
// closures are cached), `orgOf(ctx)` costs nothing, and the read itself is one statement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { ProjectSchema } from "./schemas.ts";

let app: TestApp;
let id = "";
let member = "";
// The statements the app's database client sends (postgres.js reads `debug` from its options on
// every query, so setting it on the shared client sees every request's statements).
let sent: string[] | null = null;

beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, "acme");
  member = (await app.user("reader@imbi.test", [{ org: "acme", role: "readonly" }])).token;
  const res = await app.json(
    "POST",
    "/api/organizations/acme/projects",
    body({ slug: "hot" }),
    app.adminToken,
  );
  id = ProjectSchema.parse(await res.json()).id;
  await app.settle();
  (app.db.sql.options as { debug?: unknown }).debug = (_c: number, text: string) => sent?.push(text);
});
afterAll(() => app?.stop());

/** The statements one request sends (after a warm-up request, so per-isolate caches are filled). */
async function statementsOf(path: string, token: string): Promise<string[]> {
  expect((await app.json("GET", path, undefined, token)).status).toBe(200);
  await app.drain();
  sent = [];
  const res = await app.json("GET", path, undefined, token);
  expect(res.status).toBe(200);
  await app.drain();
  const out = sent;
  sent = null;
  return out;
}

const P = "/api/organizations/acme/projects";

describe("hot paths send no extra statement", () => {
  it.each([
    ["get project", () => `${P}/${id}`],
    ["get project by slug", () => `${P}/hot`],
    ["list page", () => `${P}?limit=50&team=core`],
    ["facets", () => `${P}/facets?field=team`],
  ])(
    "%s: the session, the user with the organization and role, the role version, the read",
    async (_name, path) => {
      const kinds = (statements: string[]) =>
        statements.map((text) =>
          text.includes('"session_families"')
            ? "session"
            : text.includes("MATCH (u:User) WHERE u.email = $id")
              ? "user, organization and role"
              : text.includes("FROM role_version")
                ? "role version"
                : "read",
        );
      // A member's permissions come from their role's closure (cached per role version); an
      // administrator's from the flag, read with the user.
      expect(kinds(await statementsOf(path(), member))).toEqual([
        "session",
        "user, organization and role",
        "role version",
        "read",
      ]);
      expect(kinds(await statementsOf(path(), app.adminToken))).toEqual([
        "session",
        "user, organization and role",
        "read",
      ]);
    },
  );
});
