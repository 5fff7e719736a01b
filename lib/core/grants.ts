import { PERMISSIONS } from "../auth/catalog.ts";
import type { Graph } from "../graph/graph.ts";
import { roleClosures } from "../identity/role_cache.ts";
import { type Actor, OWNER_VERTEX } from "./actor.ts";

/**
 * What an actor may do, evaluated per organization (ADR 0005): a role held in organization A grants
 * nothing in B. Global resources (users, roles, organizations, blueprints, scoring policies) need a
 * global grant: the `is_admin` flag, or a role held in the **system organization** (ADR 0009).
 * Looked up lazily and remembered for the life of one request (one Grants per context).
 */
export interface Grants {
  /** The permissions in one organization: the role's closure, limited by the credential's scopes. */
  in(orgSlug: string): Promise<ReadonlySet<string>>;
  /** The permissions on global resources. */
  global(): Promise<ReadonlySet<string>>;
  /** The union of every organization the actor belongs to and the global grant. */
  anywhere(): Promise<ReadonlySet<string>>;
  /** Records the actor's role in an organization, already read by the door's authentication. */
  remember(orgSlug: string, role: string | null): void;
  /** Whether the role in the organization is already known (no lookup needed). */
  knows(orgSlug: string): boolean;
}

const ALL: ReadonlySet<string> = new Set(PERMISSIONS);
const NONE: ReadonlySet<string> = new Set();

/** Limits `granted` to the credential's scopes (API keys and OAuth tokens carry a subset). */
function limit(actor: Actor, granted: ReadonlySet<string>): ReadonlySet<string> {
  if (actor.scopes === null) return granted;
  return new Set(actor.scopes.filter((p) => granted.has(p)));
}

/** The grants of `actor`, resolved against the graph. */
export function createGrants(graph: Graph, actor: Actor, systemOrganization: string): Grants {
  const roles = new Map<string, string | null>();
  const permitted = (org: string) => actor.organizations === null || actor.organizations.includes(org);

  async function roleIn(org: string): Promise<string | null> {
    if (roles.has(org)) return roles.get(org) ?? null;
    let role: string | null = null;
    if (actor.kind === "user" || actor.kind === "service_account") {
      const owner = OWNER_VERTEX[actor.kind];
      const row = await graph.one<{ role: string }>(
        `MATCH (u:${owner.label})-[m:MEMBER_OF]->(o:Organization) WHERE u.${owner.key} = $id AND o.slug = $org RETURN m.role`,
        { id: actor.id, org },
        ["role"],
      );
      role = row?.role ?? null;
    }
    roles.set(org, role);
    return role;
  }

  async function closureOf(role: string | null): Promise<ReadonlySet<string>> {
    if (role === null) return NONE;
    return new Set((await roleClosures(graph)).get(role) ?? []);
  }

  const grants: Grants = {
    async in(org) {
      if (actor.kind === "anonymous" || !permitted(org)) return NONE;
      if (actor.isAdmin) return limit(actor, ALL);
      return limit(actor, await closureOf(await roleIn(org)));
    },
    async global() {
      if (actor.kind === "anonymous") return NONE;
      if (actor.isAdmin) return limit(actor, ALL);
      return grants.in(systemOrganization);
    },
    async anywhere() {
      if (actor.kind === "anonymous") return NONE;
      if (actor.isAdmin) return limit(actor, ALL);
      const union = new Set(await grants.global());
      if (actor.kind === "user" || actor.kind === "service_account") {
        const owner = OWNER_VERTEX[actor.kind];
        const rows = await graph.query<{ org: string; role: string }>(
          `MATCH (u:${owner.label})-[m:MEMBER_OF]->(o:Organization) WHERE u.${owner.key} = $id RETURN o.slug, m.role`,
          { id: actor.id },
          ["org", "role"],
        );
        for (const r of rows) {
          roles.set(r.org, r.role);
          if (permitted(r.org)) for (const p of await closureOf(r.role)) union.add(p);
        }
      }
      return limit(actor, union);
    },
    remember(org, role) {
      roles.set(org, role);
    },
    knows: (org) => roles.has(org),
  };
  return grants;
}
