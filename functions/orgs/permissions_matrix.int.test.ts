import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem } from "../../test/harness/http.ts";

/**
 * Permissions are evaluated per organization: a role held in A grants nothing in B. Every case
 * gets its own pair of organizations (A with the role, B without) so destructive operations
 * cannot affect other cases.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

type Principal = "admin" | "developer" | "default" | "readonly" | "is_admin";
type Op = "get_org" | "patch_org" | "list_members" | "add_membership" | "delete_org";

const ALLOWED_IN_A: Record<Principal, readonly Op[]> = {
  admin: ["get_org", "patch_org", "list_members", "add_membership", "delete_org"],
  developer: ["get_org", "patch_org", "list_members"],
  default: ["get_org", "list_members"],
  readonly: ["get_org", "list_members"],
  is_admin: ["get_org", "patch_org", "list_members", "add_membership", "delete_org"],
};
const OPS: readonly Op[] = ["get_org", "patch_org", "list_members", "add_membership", "delete_org"];
const SUCCESS: Record<Op, number> = {
  get_org: 200,
  patch_org: 200,
  list_members: 200,
  add_membership: 201,
  delete_org: 204,
};

let seq = 0;
async function world(principal: Principal): Promise<{ a: string; b: string; token: string }> {
  const n = ++seq;
  const [a, b] = [`org-a-${n}`, `org-b-${n}`];
  await app.org(a);
  await app.org(b);
  await app.user(`target${n}@imbi.test`);
  const { token } =
    principal === "is_admin"
      ? await app.user(`p${n}@imbi.test`, [], { isAdmin: true })
      : await app.user(`p${n}@imbi.test`, [{ org: a, role: principal }]);
  return { a, b, token };
}

function run(op: Op, org: string, token: string): Promise<Response> {
  const target = `target${seq}%40imbi.test`;
  switch (op) {
    case "get_org":
      return app.json("GET", `/api/organizations/${org}`, undefined, token);
    case "patch_org":
      return app.json(
        "PATCH",
        `/api/organizations/${org}`,
        [{ op: "replace", path: "/description", value: "changed" }],
        token,
      );
    case "list_members":
      return app.json("GET", `/api/organizations/${org}/members`, undefined, token);
    case "add_membership":
      return app.json(
        "POST",
        `/api/users/${target}/organizations`,
        { organization: org, role: "readonly" },
        token,
      );
    case "delete_org":
      return app.json("DELETE", `/api/organizations/${org}`, undefined, token);
  }
}

const PRINCIPALS: readonly Principal[] = ["admin", "developer", "default", "readonly", "is_admin"];
const cases = PRINCIPALS.flatMap((p) => OPS.map((op) => [p, op] as const));

describe("organization-scoped operations", () => {
  it.each(cases)("%s: %s is decided in A and refused in B", async (principal, op) => {
    const { a, b, token } = await world(principal);
    const inA = await run(op, a, token);
    if (ALLOWED_IN_A[principal].includes(op)) expect(inA.status).toBe(SUCCESS[op]);
    else await expectProblem(inA, 403, "FORBIDDEN");

    const inB = await run(op, b, token);
    if (principal === "is_admin") expect(inB.status).toBe(SUCCESS[op]);
    else {
      const problem = await expectProblem(inB, 403, "FORBIDDEN");
      expect(problem.detail).toContain(`'${b}'`);
    }
  });

  it("leaves B untouched after every refused write", async () => {
    const { b, token } = await world("admin");
    for (const op of ["patch_org", "add_membership", "delete_org"] as const) await run(op, b, token);
    const got = await app.json("GET", `/api/organizations/${b}`, undefined, app.adminToken);
    expect(((await got.json()) as { description: string }).description).toBe("");
    const members = await app.json("GET", `/api/organizations/${b}/members`, undefined, app.adminToken);
    expect(((await members.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("answers 403, not 404, for organizations the caller cannot see", async () => {
    const { token } = await world("admin");
    await expectProblem(await run("get_org", "no-such-org", token), 403);
    await expectProblem(await run("get_org", "no-such-org", app.adminToken), 404);
  });
});

describe("global operations need a global grant: is_admin, or a role in the system organization", () => {
  // Each call creates something new (the suffix), so every principal's attempt can succeed.
  const GLOBAL = [
    ["create organization", "POST", "/api/organizations", (n: number) => ({ slug: `made-${n}`, name: "M" })],
    ["list users", "GET", "/api/users", () => undefined],
    [
      "create user",
      "POST",
      "/api/users",
      (n: number) => ({ email: `made${n}@imbi.test`, display_name: "M" }),
    ],
    ["create role", "POST", "/api/roles", (n: number) => ({ slug: `made-role-${n}`, name: "M" })],
  ] as const;

  it.each(GLOBAL)(
    "%s → 403 for an organization admin, allowed for is_admin and for an admin of the system organization",
    async (_, method, path, body) => {
      const { token } = await world("admin");
      await expectProblem(await app.json(method, path, body(seq), token), 403, "FORBIDDEN");
      const admin = await world("is_admin");
      expect([200, 201]).toContain((await app.json(method, path, body(seq), admin.token)).status);
      // ADR 0009: the system organization ('default' here) is where global roles are held.
      const n = ++seq;
      const system = await app.user(`system${n}@imbi.test`, [{ org: "default", role: "admin" }]);
      expect([200, 201]).toContain((await app.json(method, path, body(n), system.token)).status);
    },
  );
});
