import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "../../test/harness/pglite.ts";
import { addMembership } from "./memberships.ts";
import { permissionsInOrganization } from "./permissions.ts";
import { createRole, grantPermission, revokePermission, updateRole } from "./roles.ts";
import { seedIdentity } from "./setup.ts";
import { createUser } from "./users.ts";

let a: TestDatabase;
let b: TestDatabase;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestDatabase(), startTestDatabase()]);
  for (const db of [a, b]) {
    await seedIdentity(db.graph, { adminEmail: "admin@x.test", adminPassword: "Admin-Passw0rd!" });
    await createUser(db.graph, { email: "u@x.test", display_name: "U" });
  }
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe("role closure cache", () => {
  it("sees grants, revokes and inheritance changes at once", async () => {
    await createRole(a.graph, { slug: "auditor", name: "Auditor", permissions: ["audit_log:read"] });
    await addMembership(a.graph, "u@x.test", "default", "auditor");
    const perms = async () => (await permissionsInOrganization(a.graph, "u@x.test", "default")).permissions;
    expect(await perms()).toEqual(["audit_log:read"]);
    await grantPermission(a.graph, "auditor", "team:read");
    expect(await perms()).toEqual(["audit_log:read", "team:read"]);
    await revokePermission(a.graph, "auditor", "audit_log:read");
    expect(await perms()).toEqual(["team:read"]);
    await updateRole(a.graph, "auditor", {
      name: "Auditor",
      description: "",
      priority: 200,
      inherits_from: "readonly",
    });
    expect(await perms()).toContain("project:read");
    await updateRole(a.graph, "auditor", {
      name: "Auditor",
      description: "",
      priority: 200,
      inherits_from: null,
    });
    expect(await perms()).toEqual(["team:read"]);
  });

  it("never serves one database's roles for another's", async () => {
    await createRole(b.graph, { slug: "auditor", name: "Auditor", permissions: ["search:read"] });
    await addMembership(b.graph, "u@x.test", "default", "auditor");
    expect((await permissionsInOrganization(b.graph, "u@x.test", "default")).permissions).toEqual([
      "search:read",
    ]);
    expect((await permissionsInOrganization(a.graph, "u@x.test", "default")).permissions).toEqual([
      "team:read",
    ]);
  });
});
