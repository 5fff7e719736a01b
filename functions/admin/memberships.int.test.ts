import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { permissionsInOrganization } from "../../lib/identity/permissions.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { MembershipSchema } from "./schemas.ts";

let app: TestApp;
let orgAdmin: string;
let dev: string;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("alpha");
  await app.org("beta");
  orgAdmin = (await app.user("boss@imbi.test", [{ org: "alpha", role: "admin" }])).token;
  dev = (await app.user("dev@imbi.test", [{ org: "alpha", role: "developer" }])).token;
});
afterAll(() => app?.stop());

const add = (email: string, body: unknown, token = app.adminToken) =>
  app.json("POST", `/api/users/${encodeURIComponent(email)}/organizations`, body, token);
const path = (email: string, org: string) => `/api/users/${encodeURIComponent(email)}/organizations/${org}`;
const patch = (
  email: string,
  org: string,
  ops: unknown,
  token = app.adminToken,
  h: Record<string, string> = {},
) =>
  app.request(path(email, org), {
    method: "PATCH",
    headers: { "Content-Type": "application/json-patch+json", Authorization: `Bearer ${token}`, ...h },
    body: JSON.stringify(ops),
  });
const audit = async (event: string) => {
  await app.drain();
  return (await app.analytics.listAudit({ event, limit: 10 })).data;
};

describe("add membership", () => {
  it("adds with 201, Location, ETag and an audit row", async () => {
    await app.user("m1@imbi.test");
    const res = await add("M1@imbi.test", { organization: "alpha", role: "readonly" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/users/m1%40imbi.test/organizations/alpha");
    expect(res.headers.get("etag")).toBeTruthy();
    expect(MembershipSchema.parse(await res.json())).toMatchObject({
      email: "m1@imbi.test",
      organization: "alpha",
      role: "readonly",
    });
    const rows = await audit("membership_added");
    expect(rows.find((r) => r.subject === "m1@imbi.test")).toMatchObject({
      organization: "alpha",
      actor: "admin@imbi.test",
      details: { role: "readonly" },
    });
    expect((await permissionsInOrganization(app.db.graph, "m1@imbi.test", "alpha")).role).toBe("readonly");
  });

  it("lets an organization admin add members to their own organization only", async () => {
    await app.user("m2@imbi.test");
    expect((await add("m2@imbi.test", { organization: "alpha", role: "developer" }, orgAdmin)).status).toBe(
      201,
    );
    await expectProblem(
      await add("m2@imbi.test", { organization: "beta", role: "developer" }, orgAdmin),
      403,
    );
    await expectProblem(await add("m2@imbi.test", { organization: "beta", role: "developer" }, dev), 403);
    expect((await permissionsInOrganization(app.db.graph, "m2@imbi.test", "beta")).member).toBe(false);
  });

  it.each([
    ["an unknown role", "m1@imbi.test", { organization: "beta", role: "emperor" }, 400],
    ["an unknown user", "ghost@imbi.test", { organization: "alpha", role: "default" }, 404],
    ["an existing membership", "m1@imbi.test", { organization: "alpha", role: "default" }, 409],
    ["a bad org slug", "m1@imbi.test", { organization: "Alpha!", role: "default" }, 400],
    ["an unknown field", "m1@imbi.test", { organization: "alpha", role: "default", since: "now" }, 400],
    ["a missing role", "m1@imbi.test", { organization: "alpha" }, 400],
    ["a bad email", "not-an-email", { organization: "alpha", role: "default" }, 400],
  ])("rejects %s", async (_, email, body, status) => {
    await expectProblem(await add(email, body), status);
  });

  it("needs authentication", async () => {
    await expectProblem(await add("m1@imbi.test", { organization: "beta", role: "default" }, ""), 401);
  });
});

describe("change and remove membership", () => {
  it("changes the role with If-Match and records old and new role", async () => {
    await app.user("m3@imbi.test", [{ org: "alpha", role: "readonly" }]);
    const ops = [{ op: "replace", path: "/role", value: "developer" }];
    await expectProblem(
      await patch("m3@imbi.test", "alpha", ops, app.adminToken, { "If-Match": '"x"' }),
      412,
    );
    const res = await patch("m3@imbi.test", "alpha", ops, orgAdmin);
    expect(res.status).toBe(200);
    expect(MembershipSchema.parse(await res.json()).role).toBe("developer");
    const row = (await audit("membership_changed")).find((r) => r.subject === "m3@imbi.test");
    expect(row?.details).toEqual({ old_role: "readonly", new_role: "developer" });
    expect(row?.organization).toBe("alpha");
  });

  it.each([
    [[{ op: "replace", path: "/organization", value: "beta" }], 400],
    [[{ op: "replace", path: "/email", value: "x@imbi.test" }], 400],
    [[{ op: "replace", path: "/role", value: "emperor" }], 400],
    [[{ op: "replace", path: "/role", value: 5 }], 400],
    [[{ op: "test", path: "/role", value: "admin" }], 422],
  ])("patch %j → %i", async (ops, status) => {
    await expectProblem(await patch("m3@imbi.test", "alpha", ops), status);
  });

  it("refuses role changes outside the caller's organization and for non-members", async () => {
    const ops = [{ op: "replace", path: "/role", value: "readonly" }];
    await expectProblem(await patch("m3@imbi.test", "alpha", ops, dev), 403);
    await expectProblem(await patch("m3@imbi.test", "beta", ops, orgAdmin), 403);
    await expectProblem(await patch("m3@imbi.test", "beta", ops), 404);
  });

  it("removes with 204 and an audit row; removing again is 404", async () => {
    await app.user("m4@imbi.test", [{ org: "alpha", role: "default" }]);
    await expectProblem(await app.json("DELETE", path("m4@imbi.test", "alpha"), undefined, dev), 403);
    expect((await app.json("DELETE", path("m4@imbi.test", "alpha"), undefined, orgAdmin)).status).toBe(204);
    await expectProblem(
      await app.json("DELETE", path("m4@imbi.test", "alpha"), undefined, app.adminToken),
      404,
    );
    const row = (await audit("membership_removed")).find((r) => r.subject === "m4@imbi.test");
    expect(row).toMatchObject({ organization: "alpha", actor: "boss@imbi.test" });
  });

  it("takes the user off the organization's teams too, and only that organization's", async () => {
    await app.user("m5@imbi.test", [
      { org: "alpha", role: "default" },
      { org: "beta", role: "default" },
    ]);
    for (const org of ["alpha", "beta"]) {
      const team = await app.json(
        "POST",
        `/api/organizations/${org}/teams`,
        { slug: "core", name: "Core" },
        app.adminToken,
      );
      expect(team.status).toBe(201);
      const member = await app.json(
        "POST",
        `/api/organizations/${org}/teams/core/members`,
        { email: "m5@imbi.test" },
        app.adminToken,
      );
      expect(member.status).toBe(201);
    }
    expect((await app.json("DELETE", path("m5@imbi.test", "alpha"), undefined, app.adminToken)).status).toBe(
      204,
    );
    const members = async (org: string) =>
      (
        (await (
          await app.json("GET", `/api/organizations/${org}/teams/core/members`, undefined, app.adminToken)
        ).json()) as {
          data: { email: string }[];
        }
      ).data.map((m) => m.email);
    expect(await members("alpha")).not.toContain("m5@imbi.test");
    expect(await members("beta")).toContain("m5@imbi.test");
  });
});
