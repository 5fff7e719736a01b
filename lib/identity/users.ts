import { hashPassword } from "../auth/password.ts";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { changedMeanwhile, type Graph, nextUpdatedAt, propsMap, UniqueViolation } from "../graph/graph.ts";
import { membershipsOf } from "./permissions.ts";

/** A user as the API shows it (never the password hash). */
export interface User {
  email: string;
  display_name: string;
  is_active: boolean;
  is_admin: boolean;
  created_at: string;
  updated_at: string;
}

/** Maps a User vertex to the API shape. */
export function toUser(v: AgValue | undefined): User {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    email: String(p.email),
    display_name: String(p.display_name ?? ""),
    is_active: p.is_active !== false,
    is_admin: p.is_admin === true,
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

/** Emails are identities: compare and store them lower-cased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Creates a user; 409 when the email exists. */
export async function createUser(
  graph: Graph,
  input: { email: string; display_name: string; password?: string; is_admin?: boolean; is_active?: boolean },
): Promise<User> {
  const now = new Date().toISOString();
  const props = {
    email: normalizeEmail(input.email),
    display_name: input.display_name,
    is_active: input.is_active ?? true,
    is_admin: input.is_admin ?? false,
    password_hash: input.password ? await hashPassword(input.password) : "",
    created_at: now,
    updated_at: now,
  };
  try {
    const row = await graph.one(`CREATE (u:User ${propsMap(Object.keys(props))}) RETURN u`, props);
    return toUser(row?.v ?? null);
  } catch (e) {
    if (e instanceof UniqueViolation)
      throw new DomainError("CONFLICT", `A user with email ${props.email} already exists.`);
    throw e;
  }
}

/** Loads a user, or throws 404. */
export async function getUser(graph: Graph, email: string): Promise<User> {
  const row = await graph.one("MATCH (u:User) WHERE u.email = $email RETURN u", {
    email: normalizeEmail(email),
  });
  if (!row) throw new DomainError("NOT_FOUND", `No user with email ${email}.`);
  return toUser(row.v);
}

/** The stored password hash and flags, for login. */
export async function getCredentials(
  graph: Graph,
  email: string,
): Promise<{ hash: string; active: boolean } | undefined> {
  const row = await graph.one<{ hash: string | null; active: boolean | null }>(
    "MATCH (u:User) WHERE u.email = $email RETURN u.password_hash, u.is_active",
    { email: normalizeEmail(email) },
    ["hash", "active"],
  );
  return row ? { hash: row.hash ?? "", active: row.active !== false } : undefined;
}

/** Replaces a user's password hash (password change, rehash on login). */
export async function setPasswordHash(graph: Graph, email: string, hash: string): Promise<void> {
  await graph.query(
    "MATCH (u:User) WHERE u.email = $email SET u.password_hash = $hash, u.updated_at = $now RETURN u",
    {
      email: normalizeEmail(email),
      hash,
      now: new Date().toISOString(),
    },
  );
}

/**
 * Writes the mutable fields of a user; with `ifUnchangedSince` (the `updated_at` the caller's
 * If-Match was checked against) a concurrent change makes it 412.
 */
export async function updateUser(
  graph: Graph,
  email: string,
  fields: Pick<User, "display_name" | "is_active" | "is_admin">,
  ifUnchangedSince?: string,
): Promise<User> {
  const row = await graph.one(
    `MATCH (u:User) WHERE u.email = $email AND ($guard IS NULL OR u.updated_at = $guard)
     SET u.display_name = $display_name, u.is_active = $is_active, u.is_admin = $is_admin, u.updated_at = $now
     RETURN u`,
    {
      email: normalizeEmail(email),
      display_name: fields.display_name,
      is_active: fields.is_active,
      is_admin: fields.is_admin,
      guard: ifUnchangedSince ?? null,
      now: nextUpdatedAt(ifUnchangedSince),
    },
  );
  if (!row)
    throw ifUnchangedSince
      ? changedMeanwhile(`User ${email}`)
      : new DomainError("NOT_FOUND", `No user with email ${email}.`);
  return toUser(row.v);
}

/** Deletes a user and their memberships; 404 when absent. */
export async function deleteUser(graph: Graph, email: string): Promise<void> {
  const row = await graph.one("MATCH (u:User) WHERE u.email = $email DETACH DELETE u RETURN 1", {
    email: normalizeEmail(email),
  });
  if (!row) throw new DomainError("NOT_FOUND", `No user with email ${email}.`);
}

/** Lists users ordered by email after the keyset position; fetches limit + 1 to detect a next page. */
export async function listUsers(
  graph: Graph,
  q: { after: string | null; limit: number; active?: boolean; admin?: boolean },
): Promise<User[]> {
  const rows = await graph.query(
    `MATCH (u:User)
     WHERE ($after IS NULL OR u.email > $after)
       AND ($active IS NULL OR u.is_active = $active)
       AND ($admin IS NULL OR u.is_admin = $admin)
     RETURN u ORDER BY u.email LIMIT $limit`,
    { after: q.after, active: q.active ?? null, admin: q.admin ?? null, limit: q.limit + 1 },
  );
  return rows.map((r) => toUser(r.v));
}

/** A user with the organizations they belong to and their role in each. */
export async function getUserWithOrganizations(
  graph: Graph,
  email: string,
): Promise<User & { organizations: { slug: string; name: string; role: string }[] }> {
  const user = await getUser(graph, email);
  const orgs = await membershipsOf(graph, user.email);
  return { ...user, organizations: orgs.map((o) => ({ slug: o.slug, name: o.name, role: o.role })) };
}
