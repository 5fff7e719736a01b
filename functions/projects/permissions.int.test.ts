import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { ProjectSchema } from "./schemas.ts";

let app: TestApp;
let id = "";
const tokens: Record<string, string> = {};
beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, "acme");
  await seedCatalog(app, "other");
  for (const role of ["admin", "developer", "readonly"])
    tokens[role] = (await app.user(`org-${role}@imbi.test`, [{ org: "acme", role }])).token;
  tokens.foreign = (await app.user("foreign@imbi.test", [{ org: "other", role: "admin" }])).token;
  const res = await app.json(
    "POST",
    "/api/organizations/acme/projects",
    body({ slug: "target" }),
    app.adminToken,
  );
  id = ProjectSchema.parse(await res.json()).id;
});
afterAll(() => app?.stop());

type Op = "list" | "get" | "facets" | "schema" | "search" | "create" | "patch" | "env" | "archive" | "delete";
const P = "/api/organizations/acme";
let n = 0;
function run(op: Op, token: string): Promise<Response> {
  const j = (m: string, path: string, b?: unknown) => app.json(m, `${P}${path}`, b, token);
  switch (op) {
    case "list":
      return j("GET", "/projects");
    case "get":
      return j("GET", `/projects/${id}`);
    case "facets":
      return j("GET", "/projects/facets?field=team");
    case "schema":
      return j("GET", `/projects/${id}/schema`);
    case "search":
      return j("GET", "/search?q=target");
    case "create":
      return j("POST", "/projects", body({ slug: `made-${++n}` }));
    case "patch":
      return j("PATCH", `/projects/${id}`, [{ op: "replace", path: "/description", value: `d${++n}` }]);
    case "env":
      return j("PATCH", `/projects/${id}/environments/staging`, { url: `https://s${++n}` });
    case "archive":
      return j("POST", `/projects/${id}/unarchive`);
    case "delete":
      return j("DELETE", "/projects/doesnotexist");
  }
}
const READS: Op[] = ["list", "get", "facets", "schema", "search"];
const WRITES: Op[] = ["create", "patch", "env", "archive"];
const OK: Record<Op, number> = {
  list: 200,
  get: 200,
  facets: 200,
  schema: 200,
  search: 200,
  create: 201,
  patch: 200,
  env: 200,
  archive: 200,
  delete: 404,
};

describe("permissions per organization", () => {
  it.each([...READS, ...WRITES, "delete" as Op])("%s: 401 without or with bad credentials", async (op) => {
    const res = await run(op, "");
    await expectProblem(res, 401, "UNAUTHENTICATED");
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    await expectProblem(await run(op, "garbage"), 401);
  });

  it.each([...READS, ...WRITES, "delete" as Op])(
    "%s: 403 for a principal of another organization",
    async (op) => {
      const p = await expectProblem(await run(op, tokens.foreign as string), 403, "FORBIDDEN");
      expect(p.detail).toContain("acme");
    },
  );

  it.each(READS)("%s: readonly may read", async (op) => {
    expect((await run(op, tokens.readonly as string)).status).toBe(OK[op]);
  });

  it.each([...WRITES, "delete" as Op])("%s: readonly is refused (403)", async (op) => {
    await expectProblem(await run(op, tokens.readonly as string), 403);
  });

  it.each(WRITES)("%s: developer may write", async (op) => {
    expect((await run(op, tokens.developer as string)).status).toBe(OK[op]);
  });

  it("delete needs project:delete: developer 403, org admin 204", async () => {
    await expectProblem(await run("delete", tokens.developer as string), 403);
    const res = await app.json("POST", `${P}/projects`, body({ slug: "doomed" }), tokens.admin);
    const doomed = ProjectSchema.parse(await res.json()).id;
    expect((await app.json("DELETE", `${P}/projects/${doomed}`, undefined, tokens.admin)).status).toBe(204);
  });

  it("an admin of another org cannot reach acme's project through its own org", async () => {
    await expectProblem(
      await app.json("GET", `/api/organizations/other/projects/${id}`, undefined, tokens.foreign),
      404,
    );
  });
});
