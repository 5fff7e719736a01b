import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS, SYSTEM_ROLES } from "../../lib/auth/catalog.ts";
import { permissionsInOrganization } from "../../lib/identity/permissions.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import { PermissionPageSchema, RolePageSchema, RoleSchema } from "./schemas.ts";

let app: TestApp;
let reader: string;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("acme");
  reader = (await app.user("reader@imbi.test", [{ org: "acme", role: "readonly" }])).token;
});
afterAll(() => app?.stop());

const admin = (method: string, path: string, body?: unknown, h?: Record<string, string>) =>
  app.json(method, path, body, app.adminToken, h);
const createRole = (body: Record<string, unknown>, token = app.adminToken) =>
  app.json("POST", "/api/roles", { name: "Custom", ...body }, token);
const patchRole = (slug: string, ops: unknown, h: Record<string, string> = {}) =>
  app.request(`/api/roles/${slug}`, {
    method: "PATCH",
    headers: {
      "Content-Type": "application/json-patch+json",
      Authorization: `Bearer ${app.adminToken}`,
      ...h,
    },
    body: JSON.stringify(ops),
  });
const audit = async (event: string) => {
  await app.drain();
  return (await app.analytics.listAudit({ event, limit: 20 })).data;
};

describe("read roles and permissions", () => {
  it("lets a holder of role:read in any organization list roles, highest priority first, across pages", async () => {
    const res = await app.json("GET", "/api/roles", undefined, reader);
    const page = RolePageSchema.parse(await res.json());
    // Highest priority first, ties by slug (the internal accounts' roles share 900).
    const byPriority = [...SYSTEM_ROLES].sort(
      (a, b) => b.priority - a.priority || a.slug.localeCompare(b.slug),
    );
    expect(page.data.map((r) => r.slug)).toEqual(byPriority.map((r) => r.slug));
    expect(page.data.every((r) => r.is_system)).toBe(true);
    const get = (p: string) => app.json("GET", p, undefined, reader);
    for (const via of ["cursor", "link"] as const)
      expect((await walkPages<{ slug: string }>(get, "/api/roles?limit=1", via)).map((r) => r.slug)).toEqual(
        page.data.map((r) => r.slug),
      );
    await expectProblem(await get("/api/roles?cursor=eyJwIjoieCJ9"), 400);
    await expectProblem(await get("/api/roles?system=true"), 400);
    await expectProblem(await app.json("GET", "/api/roles"), 401);
  });

  it("gets one role with an ETag; unknown is 404", async () => {
    const res = await app.json("GET", "/api/roles/readonly", undefined, reader);
    expect(res.headers.get("etag")).toBeTruthy();
    expect(RoleSchema.parse(await res.json()).permissions).toContain("organization:read");
    await expectProblem(await admin("GET", "/api/roles/emperor"), 404);
  });

  it("refuses roles to users without role:read anywhere, but not the permission catalog", async () => {
    // The developer role grants no role:read (lib/auth/catalog.ts); a user of no organization has nothing.
    const dev = await app.user("role-dev@imbi.test", [{ org: "acme", role: "developer" }]);
    const loner = await app.user("role-loner@imbi.test");
    for (const token of [dev.token, loner.token]) {
      const list = await expectProblem(
        await app.json("GET", "/api/roles", undefined, token),
        403,
        "FORBIDDEN",
      );
      expect(list.detail).toContain("role:read");
      await expectProblem(await app.json("GET", "/api/roles/readonly", undefined, token), 403, "FORBIDDEN");
      expect((await app.json("GET", "/api/permissions", undefined, token)).status).toBe(200);
    }
  });

  it("lists the permission catalog with resource and action", async () => {
    const get = (p: string) => app.json("GET", p, undefined, reader);
    const all = await walkPages<{ name: string; resource: string; action: string }>(
      get,
      "/api/permissions?limit=20",
      "link",
    );
    expect(all.map((p) => p.name)).toEqual([...PERMISSIONS].sort());
    expect(all.find((p) => p.name === "admin:events:read")).toEqual({
      name: "admin:events:read",
      resource: "admin:events",
      action: "read",
    });
    PermissionPageSchema.parse(await (await get("/api/permissions")).json());
  });
});

describe("custom roles", () => {
  it("creates with 201 and Location; administrators only; duplicates are 409", async () => {
    const res = await createRole({ slug: "release", priority: 300, permissions: ["project:write"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/roles/release");
    expect(RoleSchema.parse(await res.json())).toMatchObject({
      slug: "release",
      is_system: false,
      priority: 300,
    });
    await expectProblem(await createRole({ slug: "release" }), 409);
    await expectProblem(await createRole({ slug: "other" }, reader), 403);
    expect((await audit("role_created")).some((r) => r.subject === "release")).toBe(true);
  });

  it.each([
    ["an unknown permission", { slug: "r1", permissions: ["project:fly"] }],
    ["a malformed permission", { slug: "r1", permissions: ["everything"] }],
    ["an unknown parent", { slug: "r1", inherits_from: "emperor" }],
    ["a bad slug", { slug: "R 1" }],
    ["a string priority", { slug: "r1", priority: "high" }],
    ["an empty name", { slug: "r1", name: "" }],
    ["an unknown field", { slug: "r1", color: "red" }],
  ])("rejects %s with 400", async (_, body) => {
    await expectProblem(await createRole(body), 400);
  });

  it("inherits its parent's permissions and adds its own grants", async () => {
    await createRole({ slug: "reader-plus", inherits_from: "readonly" });
    const granted = await admin("POST", "/api/roles/reader-plus/permissions", {
      permission: "organization:update",
    });
    expect(granted.status).toBe(200);
    expect(RoleSchema.parse(await granted.json())).toMatchObject({
      inherits_from: "readonly",
      permissions: ["organization:update"],
    });
    const again = await admin("POST", "/api/roles/reader-plus/permissions", {
      permission: "organization:update",
    });
    expect(RoleSchema.parse(await again.json()).permissions).toEqual(["organization:update"]);
    await expectProblem(
      await admin("POST", "/api/roles/reader-plus/permissions", { permission: "x:y" }),
      400,
    );
    await expectProblem(
      await admin("POST", "/api/roles/ghost/permissions", { permission: "team:read" }),
      404,
    );
    const u = await app.user("plus@imbi.test", [{ org: "acme", role: "reader-plus" }]);
    const { permissions } = await permissionsInOrganization(app.db.graph, u.email, "acme");
    expect(permissions).toEqual(
      expect.arrayContaining(["organization:read", "organization:update", "team:read"]),
    );
    expect(permissions).not.toContain("organization:delete");
    const ops = [{ op: "replace", path: "/description", value: "patched by a custom role" }];
    const res = await app.json("PATCH", "/api/organizations/acme", ops, u.token);
    expect(res.status).toBe(200);
    await expectProblem(await app.json("DELETE", "/api/organizations/acme", undefined, u.token), 403);
    expect(
      (await audit("permission_granted")).some((r) => r.details.permission === "organization:update"),
    ).toBe(true);
  });

  it("patches with If-Match; read-only paths, cycles and failed tests are refused", async () => {
    await createRole({ slug: "child", inherits_from: "release" });
    const tag = (await admin("GET", "/api/roles/release")).headers.get("etag") ?? "";
    const ops = [{ op: "replace", path: "/priority", value: 350 }];
    await expectProblem(await patchRole("release", ops, { "If-Match": '"old"' }), 412);
    const ok = await patchRole("release", ops, { "If-Match": tag });
    expect(RoleSchema.parse(await ok.json()).priority).toBe(350);
    await expectProblem(
      await patchRole("release", [{ op: "replace", path: "/inherits_from", value: "child" }]),
      400,
    );
    for (const p of ["/slug", "/permissions", "/is_system", "/created_at"])
      await expectProblem(await patchRole("release", [{ op: "replace", path: p, value: "x" }]), 400);
    await expectProblem(await patchRole("release", [{ op: "test", path: "/priority", value: 1 }]), 422);
    await expectProblem(await patchRole("release", [{ op: "replace", path: "/priority", value: -1 }]), 400);
  });

  it("stores injection-looking names and descriptions verbatim", async () => {
    const before = Number((await app.db.graph.one("MATCH (n) RETURN count(n)"))?.v);
    for (const [i, text] of INJECTIONS.entries()) {
      const res = await createRole({ slug: `inj-${i}`, name: text, description: text });
      expect(RoleSchema.parse(await res.json())).toMatchObject({ name: text, description: text });
      const patched = await patchRole(`inj-${i}`, [{ op: "replace", path: "/name", value: `${text}?` }]);
      expect(RoleSchema.parse(await patched.json()).name).toBe(`${text}?`);
    }
    expect(Number((await app.db.graph.one("MATCH (n) RETURN count(n)"))?.v)).toBe(before + INJECTIONS.length);
  });

  it("revokes grants, and deletes only unused roles", async () => {
    expect((await admin("DELETE", "/api/roles/release/permissions/project:write")).status).toBe(204);
    await expectProblem(await admin("DELETE", "/api/roles/release/permissions/project:write"), 404);
    await expectProblem(await admin("DELETE", "/api/roles/release/permissions/nonsense"), 400);
    expect((await audit("permission_revoked")).some((r) => r.subject === "release")).toBe(true);
    await expectProblem(await admin("DELETE", "/api/roles/release"), 409); // inherited by child
    await expectProblem(await admin("DELETE", "/api/roles/reader-plus"), 409); // held by a membership
    await expectProblem(await app.json("DELETE", "/api/roles/child", undefined, reader), 403);
    expect((await admin("DELETE", "/api/roles/child")).status).toBe(204);
    await expectProblem(await admin("DELETE", "/api/roles/child"), 404);
    expect((await audit("role_deleted")).some((r) => r.subject === "child")).toBe(true);
  });

  it("keeps membership grants within the caller's own permissions", async () => {
    await createRole({ slug: "member-manager", inherits_from: "readonly", permissions: ["user:update"] });
    const mgr = await app.user("mgr@imbi.test", [{ org: "acme", role: "member-manager" }]);
    await app.user("newbie@imbi.test");
    const add = (role: string) =>
      app.json(
        "POST",
        "/api/users/newbie%40imbi.test/organizations",
        { organization: "acme", role },
        mgr.token,
      );
    await expectProblem(await add("admin"), 403);
    expect((await add("readonly")).status).toBe(201);
  });
});

describe("system roles are immutable", () => {
  it.each(SYSTEM_ROLES.map((r) => r.slug))(
    "%s: patch and delete → 400, grant and revoke → 403",
    async (slug) => {
      const before = RoleSchema.parse(await (await admin("GET", `/api/roles/${slug}`)).json());
      await expectProblem(await patchRole(slug, [{ op: "replace", path: "/name", value: "Mine" }]), 400);
      await expectProblem(await admin("DELETE", `/api/roles/${slug}`), 400);
      await expectProblem(
        await admin("POST", `/api/roles/${slug}/permissions`, { permission: "audit_log:read" }),
        403,
      );
      await expectProblem(await admin("DELETE", `/api/roles/${slug}/permissions/organization:read`), 403);
      expect(RoleSchema.parse(await (await admin("GET", `/api/roles/${slug}`)).json())).toEqual(before);
    },
  );
});
