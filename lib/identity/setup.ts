import { customAlphabet } from "nanoid";
import { PERMISSIONS, SYSTEM_ROLES } from "../auth/catalog.ts";
import type { Graph } from "../graph/graph.ts";
import { addMembership } from "./memberships.ts";
import { createOrganization } from "./organizations.ts";
import { bumpRoleVersion } from "./role_cache.ts";
import { createUser, normalizeEmail } from "./users.ts";

/** What {@link seedIdentity} did. */
export interface SeedReport {
  permissions: number;
  roles: number;
  organizationCreated: string | null;
  adminCreated: string | null;
  /** Set only when a password was generated; print it once and never store it. */
  generatedPassword: string | null;
}

const passwordChars = customAlphabet("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20);

/**
 * Seeds permissions and the immutable system roles (idempotent MERGE), a default organization
 * when there is none, and the first administrator when `adminEmail` has no account yet.
 */
export async function seedIdentity(
  graph: Graph,
  opts: { adminEmail?: string; adminPassword?: string; orgSlug?: string; orgName?: string },
): Promise<SeedReport> {
  const now = new Date().toISOString();
  const report: SeedReport = {
    permissions: PERMISSIONS.length,
    roles: SYSTEM_ROLES.length,
    organizationCreated: null,
    adminCreated: null,
    generatedPassword: null,
  };
  await graph.tx(async (g) => {
    await g.query(
      `UNWIND $perms AS perm
       MERGE (p:Permission {name: perm.name})
       SET p.resource_type = perm.resource, p.action = perm.action
       RETURN 1`,
      {
        perms: PERMISSIONS.map((name) => {
          const i = name.lastIndexOf(":");
          return { name, resource: name.slice(0, i), action: name.slice(i + 1) };
        }),
      },
    );
    for (const role of SYSTEM_ROLES) {
      await g.query(
        `MERGE (r:Role {slug: $slug})
         SET r.name = $name, r.description = $description, r.priority = $priority,
             r.is_system = true, r.is_default = $is_default, r.updated_at = $now,
             r.created_at = coalesce(r.created_at, $now)
         RETURN 1`,
        {
          slug: role.slug,
          name: role.name,
          description: role.description,
          priority: role.priority,
          is_default: role.isDefault,
          now,
        },
      );
      // Re-derive grants from the catalog so an upgrade that changes a system role applies.
      await g.query("MATCH (r:Role {slug: $slug})-[e:GRANTS]->() DELETE e RETURN 1", { slug: role.slug });
      await g.query(
        `MATCH (r:Role {slug: $slug})
         UNWIND $grants AS name
         MATCH (p:Permission {name: name})
         CREATE (r)-[:GRANTS]->(p) RETURN 1`,
        { slug: role.slug, grants: [...role.grants] },
      );
    }
    await bumpRoleVersion(g);
  });

  const orgSlug = opts.orgSlug ?? "default";
  const anyOrg = await graph.one("MATCH (o:Organization) RETURN o.slug LIMIT 1");
  if (!anyOrg) {
    await createOrganization(graph, { slug: orgSlug, name: opts.orgName ?? "Default" });
    report.organizationCreated = orgSlug;
  }
  if (opts.adminEmail) {
    const email = normalizeEmail(opts.adminEmail);
    const exists = await graph.one("MATCH (u:User {email: $email}) RETURN u.email", { email });
    if (!exists) {
      const password = opts.adminPassword ?? `${passwordChars()}-Aa1`;
      await createUser(graph, { email, display_name: "Administrator", password, is_admin: true });
      const org = report.organizationCreated ?? String((anyOrg?.v as string | undefined) ?? orgSlug);
      await addMembership(graph, email, org, "admin");
      report.adminCreated = email;
      if (!opts.adminPassword) report.generatedPassword = password;
    }
  }
  return report;
}
