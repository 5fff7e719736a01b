import { type Actor, OWNER_VERTEX } from "../core/actor.ts";
import { DomainError } from "../errors.ts";
import type { Graph } from "../graph/graph.ts";
import { decodeOpaque, encodeOpaque } from "../pagination.ts";

// What the audit-log verb needs besides the analytics store: the organizations an actor belongs
// to (a holder of audit_log:read in some of them reads only theirs) and cursors bound to the
// filter that issued them.

/** The actor's memberships (users and service accounts; other kinds have none), by slug. */
export async function memberOrganizations(
  graph: Graph,
  actor: Actor,
): Promise<{ org: string; role: string }[]> {
  if (actor.kind !== "user" && actor.kind !== "service_account") return [];
  const owner = OWNER_VERTEX[actor.kind];
  const rows = await graph.query<{ org: string; role: string }>(
    `MATCH (u:${owner.label})-[m:MEMBER_OF]->(o:Organization) WHERE u.${owner.key} = $id RETURN o.slug, m.role`,
    { id: actor.id },
    ["org", "role"],
  );
  return rows.sort((a, b) => (a.org < b.org ? -1 : a.org > b.org ? 1 : 0));
}

/** The filters a cursor is bound to: the same query must be repeated to follow it. */
export interface AuditFilter {
  actor?: string;
  event?: string;
  organization?: string;
  credential?: string;
  from?: string;
  to?: string;
}

/** A short digest of a filter; instants compare as instants (`+00:00` and `Z` are one filter). */
async function fingerprint(f: AuditFilter): Promise<string> {
  const at = (s?: string) => (s === undefined ? null : Date.parse(s));
  const canonical = JSON.stringify([
    f.actor ?? null,
    f.event ?? null,
    f.organization ?? null,
    f.credential ?? null,
    at(f.from),
    at(f.to),
  ]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
  return encodeOpaque(Array.from(digest.slice(0, 12)));
}

const badCursor = (message: string) =>
  new DomainError("BAD_REQUEST", `The cursor is invalid: ${message}`, [
    { location: "query.cursor", message },
  ]);

/** Wraps the store's cursor with the filter's digest. */
export async function bindCursor(f: AuditFilter, storeCursor: string | null): Promise<string | null> {
  return storeCursor === null ? null : encodeOpaque({ f: await fingerprint(f), c: storeCursor });
}

/** The store's cursor inside `cursor`; 400 when it is not ours or another filter issued it. */
export async function unbindCursor(f: AuditFilter, cursor: string | undefined): Promise<string | undefined> {
  if (cursor === undefined) return undefined;
  const v = decodeOpaque(cursor) as { f?: unknown; c?: unknown } | undefined;
  if (typeof v !== "object" || v === null || typeof v.f !== "string" || typeof v.c !== "string")
    throw badCursor("not a cursor this server issued; use next_cursor from a previous page unchanged");
  if (v.f !== (await fingerprint(f)))
    throw badCursor(
      "it was issued for other filters; repeat the query with the same actor, event, organization, " +
        "credential, from and to, or drop cursor to start from the newest row",
    );
  return v.c;
}
