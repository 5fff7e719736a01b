import { seedIdentity } from "./lib/identity/setup.ts";
import { startTestDatabase } from "./test/harness/pglite.ts";

const db = await startTestDatabase();
await seedIdentity(db.graph, { adminEmail: "a@x.io", adminPassword: "Aaaaaaaaaaa1!" });
async function time(name: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await f();
  const t = performance.now();
  for (let i = 0; i < 20; i++) await f();
  console.log(name, ((performance.now() - t) / 20).toFixed(2), "ms", JSON.stringify(await f()).slice(0, 100));
}
const g = db.graph;
await time("memberships only", () =>
  g.query(
    `MATCH (u:User {email: $email})-[m:MEMBER_OF]->(o:Organization) RETURN o.slug, m.role`,
    { email: "a@x.io" },
    ["s", "r"],
  ),
);
await time("direct grants of role", () =>
  g.query(
    `MATCH (r:Role {slug: $role})-[:GRANTS]->(p:Permission) RETURN collect(p.name)`,
    { role: "admin" },
    ["p"],
  ),
);
await time("parents", () =>
  g.query(
    `MATCH (r:Role {slug: $role})-[:INHERITS_FROM*1..16]->(a:Role) RETURN collect(a.slug)`,
    { role: "admin" },
    ["p"],
  ),
);
await time("grants of roles list", () =>
  g.query(
    `MATCH (r:Role)-[:GRANTS]->(p:Permission) WHERE r.slug IN $roles RETURN collect(DISTINCT p.name)`,
    { roles: ["admin"] },
    ["p"],
  ),
);
await time("sql grants", () =>
  db.sql.unsafe(`SELECT count(*) FROM imbi."GRANTS" g JOIN imbi."Role" r ON r.id = g.start_id`),
);
await db.stop();
