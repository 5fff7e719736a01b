import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { customAlphabet } from "nanoid";
import { clientCredentials, serviceAccountKeys, usedAssertions } from "../../schema/tables.ts";
import { hashCredentialSecret, newCredentialSecret } from "../auth/credential_hash.ts";
import { DomainError } from "../errors.ts";
import type { Db, Services } from "../services.ts";

// Storage of a service account's credentials (schema/sql/0006): client credentials (`cc_<id>` + a
// hashed secret) and public keys for private_key_jwt, plus the used-assertion ledger. Revoking
// one also writes a kv denylist entry, the fast path every request checks before the row
// (lib/auth/service_account_tokens.ts), so a revocation is seen at once on every process.

/** Every client id starts with this; service-account slugs cannot (they have no underscore). */
export const CLIENT_ID_PREFIX = "cc_";
const clientIdTail = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 22);

/** A client credential as the API shows it (never the secret or its hash). */
export interface ClientCredential {
  client_id: string;
  service_account: string;
  name: string;
  /** Empty: every permission the account holds. */
  scopes: string[];
  /** Empty: every organization the account belongs to. */
  organizations: string[];
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  rotated_at: string | null;
  revoked_at: string | null;
}

/** A registered public key as the API shows it. */
export interface ServiceAccountKey {
  kid: string;
  service_account: string;
  name: string;
  alg: "EdDSA" | "ES256";
  jwk: Record<string, string>;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type CredentialRow = typeof clientCredentials.$inferSelect;
type KeyRow = typeof serviceAccountKeys.$inferSelect;

/** Maps a row to the API shape. */
export function toClientCredential(r: CredentialRow): ClientCredential {
  return {
    client_id: r.clientId,
    service_account: r.serviceAccount,
    name: r.name,
    scopes: r.scopes,
    organizations: r.organizations,
    expires_at: iso(r.expiresAt),
    created_at: r.createdAt.toISOString(),
    last_used_at: iso(r.lastUsedAt),
    rotated_at: iso(r.rotatedAt),
    revoked_at: iso(r.revokedAt),
  };
}

function toKey(r: KeyRow): ServiceAccountKey {
  return {
    kid: r.kid,
    service_account: r.serviceAccount,
    name: r.name,
    alg: r.alg as ServiceAccountKey["alg"],
    jwk: r.jwk,
    created_at: r.createdAt.toISOString(),
    last_used_at: iso(r.lastUsedAt),
    revoked_at: iso(r.revokedAt),
  };
}

/** kv keys of the revocation denylist (checked before the row on every request). */
export const denyKeys = {
  client: (clientId: string) => `auth:revoked:cc:${clientId}`,
  key: (kid: string) => `auth:revoked:sak:${kid}`,
};

async function deny(s: Services, key: string): Promise<void> {
  // Longer than any token lives; the row stays the source of truth when kv is down.
  await s.kv
    .set(key, true, { ttlSeconds: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS * 2 })
    .catch(() => false);
}

/**
 * Creates a client credential and returns it with its secret (shown once). `clientId`/`secret`
 * let setup seed a credential whose values come from the environment; otherwise both are new.
 */
export async function createClientCredential(
  s: Services,
  input: {
    serviceAccount: string;
    name: string;
    scopes: readonly string[];
    organizations: readonly string[];
    expiresAt: Date | null;
    clientId?: string;
    secret?: string;
  },
): Promise<ClientCredential & { client_secret: string }> {
  const secret = input.secret ?? newCredentialSecret();
  const clientId = input.clientId ?? `${CLIENT_ID_PREFIX}${clientIdTail()}`;
  const rows = await s.db
    .insert(clientCredentials)
    .values({
      clientId,
      serviceAccount: input.serviceAccount,
      name: input.name,
      secretHash: await hashCredentialSecret(s.env, secret),
      scopes: [...input.scopes],
      organizations: [...input.organizations],
      expiresAt: input.expiresAt,
    })
    .onConflictDoNothing()
    .returning();
  const row = rows[0];
  if (!row) throw new DomainError("CONFLICT", `A client credential with id ${clientId} already exists.`);
  return { ...toClientCredential(row), client_secret: secret };
}

/** The account's client credentials, newest first (revoked ones too: they say when). */
export async function listClientCredentials(db: Db, slug: string): Promise<ClientCredential[]> {
  const rows = await db
    .select()
    .from(clientCredentials)
    .where(eq(clientCredentials.serviceAccount, slug))
    .orderBy(asc(clientCredentials.createdAt), asc(clientCredentials.clientId));
  return rows.map(toClientCredential);
}

/** One credential row by client id (for authentication), or undefined. */
export async function findClientCredential(db: Db, clientId: string): Promise<CredentialRow | undefined> {
  const [row] = await db.select().from(clientCredentials).where(eq(clientCredentials.clientId, clientId));
  return row;
}

const noCredential = (slug: string, clientId: string) =>
  new DomainError("NOT_FOUND", `Service account '${slug}' has no active client credential ${clientId}.`);

/** Revokes a credential (soft delete) and denylists it; 404 when absent or already revoked. */
export async function revokeClientCredential(s: Services, slug: string, clientId: string): Promise<void> {
  const rows = await s.db
    .update(clientCredentials)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(clientCredentials.clientId, clientId),
        eq(clientCredentials.serviceAccount, slug),
        isNull(clientCredentials.revokedAt),
      ),
    )
    .returning({ id: clientCredentials.clientId });
  if (rows.length === 0) throw noCredential(slug, clientId);
  await deny(s, denyKeys.client(clientId));
}

/**
 * Gives a credential a new secret (same id). The old secret stops working at once, and so do the
 * tokens issued before the rotation (their `iat` precedes `rotated_at`): a rotation is what one
 * does after a leak. 404 when absent or revoked.
 */
export async function rotateClientCredential(
  s: Services,
  slug: string,
  clientId: string,
): Promise<ClientCredential & { client_secret: string }> {
  const secret = newCredentialSecret();
  const rows = await s.db
    .update(clientCredentials)
    .set({ secretHash: await hashCredentialSecret(s.env, secret), rotatedAt: new Date() })
    .where(
      and(
        eq(clientCredentials.clientId, clientId),
        eq(clientCredentials.serviceAccount, slug),
        isNull(clientCredentials.revokedAt),
      ),
    )
    .returning();
  const row = rows[0];
  if (!row) throw noCredential(slug, clientId);
  return { ...toClientCredential(row), client_secret: secret };
}

/** Stamps `last_used_at` (best effort: a token is still issued if this write fails). */
export async function touchClientCredential(db: Db, clientId: string): Promise<void> {
  await db
    .update(clientCredentials)
    .set({ lastUsedAt: new Date() })
    .where(eq(clientCredentials.clientId, clientId));
}

/** Registers a public key; 409 when this key (its thumbprint) is registered already, anywhere. */
export async function registerKey(
  db: Db,
  input: {
    kid: string;
    serviceAccount: string;
    name: string;
    alg: ServiceAccountKey["alg"];
    jwk: Record<string, string>;
  },
): Promise<ServiceAccountKey> {
  const rows = await db.insert(serviceAccountKeys).values(input).onConflictDoNothing().returning();
  const row = rows[0];
  if (!row)
    throw new DomainError(
      "CONFLICT",
      `This public key is already registered (kid ${input.kid}); register a new key.`,
    );
  return toKey(row);
}

/** The account's public keys, oldest first (revoked ones too). */
export async function listKeys(db: Db, slug: string): Promise<ServiceAccountKey[]> {
  const rows = await db
    .select()
    .from(serviceAccountKeys)
    .where(eq(serviceAccountKeys.serviceAccount, slug))
    .orderBy(asc(serviceAccountKeys.createdAt), asc(serviceAccountKeys.kid));
  return rows.map(toKey);
}

/** One key row by kid (for authentication), or undefined. */
export async function findKey(db: Db, kid: string): Promise<KeyRow | undefined> {
  const [row] = await db.select().from(serviceAccountKeys).where(eq(serviceAccountKeys.kid, kid));
  return row;
}

/** Revokes a key and denylists it: its tokens stop working at once; 404 when absent or revoked. */
export async function revokeKey(s: Services, slug: string, kid: string): Promise<void> {
  const rows = await s.db
    .update(serviceAccountKeys)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(serviceAccountKeys.kid, kid),
        eq(serviceAccountKeys.serviceAccount, slug),
        isNull(serviceAccountKeys.revokedAt),
      ),
    )
    .returning({ kid: serviceAccountKeys.kid });
  if (rows.length === 0)
    throw new DomainError("NOT_FOUND", `Service account '${slug}' has no active public key ${kid}.`);
  await deny(s, denyKeys.key(kid));
}

/** Stamps a key's `last_used_at`. */
export async function touchKey(db: Db, kid: string): Promise<void> {
  await db.update(serviceAccountKeys).set({ lastUsedAt: new Date() }).where(eq(serviceAccountKeys.kid, kid));
}

/**
 * Records a client assertion's `jti` until it expires; false when it was recorded already (a
 * replay). The primary key decides, so two processes racing with one assertion get one true.
 * Expired rows are purged on the way (a few at a time, so the ledger stays small).
 */
export async function recordAssertion(
  db: Db,
  clientId: string,
  jti: string,
  expiresAt: Date,
): Promise<boolean> {
  await db.execute(
    sql`DELETE FROM used_assertions WHERE ctid IN (SELECT ctid FROM used_assertions WHERE expires_at < now() LIMIT 100)`,
  );
  const rows = await db
    .insert(usedAssertions)
    .values({ clientId, jti, expiresAt })
    .onConflictDoNothing()
    .returning({ jti: usedAssertions.jti });
  return rows.length > 0;
}

/**
 * Deletes every client credential and public key of an account (when the account is deleted) and
 * denylists them, so their outstanding tokens end at once. Returns how many of each went.
 */
export async function deleteServiceAccountCredentials(
  s: Services,
  slug: string,
): Promise<{ client_credentials: number; keys: number }> {
  const creds = await s.db
    .delete(clientCredentials)
    .where(eq(clientCredentials.serviceAccount, slug))
    .returning({ id: clientCredentials.clientId });
  const keys = await s.db
    .delete(serviceAccountKeys)
    .where(eq(serviceAccountKeys.serviceAccount, slug))
    .returning({ kid: serviceAccountKeys.kid });
  for (const c of creds) await deny(s, denyKeys.client(c.id));
  for (const k of keys) await deny(s, denyKeys.key(k.kid));
  return { client_credentials: creds.length, keys: keys.length };
}
