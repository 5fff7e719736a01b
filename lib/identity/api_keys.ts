// API keys (`ik_<id>_<secret>`): storage and authentication (ADR 0010). The verbs that manage
// them are ./api_key_verbs.ts. Authentication keeps no per-process cache, so a revocation is seen by
// the very next request on every Node replica and Workers isolate: the kv denylist is read first,
// then the row, on every request.

import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { apiKeys } from "../../schema/tables.ts";
import { hashCredentialSecret, verifyCredentialSecret } from "../auth/credential_hash.ts";
import type { CredentialGrant } from "../core/actor.ts";
import { enforceRateLimit } from "../core/rate_limit.ts";
import { DomainError } from "../errors.ts";
import type { Services } from "../services.ts";

/** Every API key starts with this (`ik_<id>_<secret>`); other bearer tokens are JWTs. */
export const API_KEY_PREFIX = "ik_";

/** A key id: `ik_` and 32 lower-case hex digits (128 random bits), as the reference system. */
export const API_KEY_ID = /^ik_[0-9a-f]{32}$/;

// The whole key: the id, `_`, and a secret from newCredentialSecret() (32 bytes, base64url, 43
// characters). The id has a fixed length, so the `_` and `-` a base64url secret may hold are no
// ambiguity.
const API_KEY = /^(ik_[0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** `last_used_at` is written at most once per this many seconds per key. */
export const LAST_USED_THROTTLE_SECONDS = 60;

/** A stored API key row. */
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** The one answer for every key that does not authenticate: no oracle for ids, secrets or states. */
export const invalidApiKey = () => new DomainError("UNAUTHENTICATED", "Invalid, expired or revoked API key.");

/** A new key id. */
export function newApiKeyId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ik_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The id and secret of a presented key, or null when it is not shaped like one. */
export function parseApiKey(token: string): { id: string; secret: string } | null {
  const m = API_KEY.exec(token);
  return m?.[1] && m[2] ? { id: m[1], secret: m[2] } : null;
}

/** The kv denylist entry of a revoked key (read before the row, as sessions do). */
export const apiKeyDenyKey = (id: string) => `auth:apikey:revoked:${id}`;

// Compared against when the id is unknown, so an unknown id costs the same HMAC as a wrong secret.
let dummyHash: Promise<string> | undefined;

/**
 * Verifies an API key and returns what it grants. Every failure (malformed, unknown, wrong secret,
 * revoked, expired, the old secret after its rotation grace) is the same 401. A valid key over its
 * per-key rate limit is a 429 with Retry-After. `last_used_at` is stamped in the background, at
 * most once a minute.
 */
export async function authenticateApiKey(s: Services, token: string): Promise<CredentialGrant> {
  const parsed = parseApiKey(token);
  if (!parsed) throw invalidApiKey();
  // kv first: a revocation on any process is visible here even before its row could be read.
  if (await s.kv.exists(apiKeyDenyKey(parsed.id)).catch(() => false)) throw invalidApiKey();
  const [row] = await s.db.select().from(apiKeys).where(eq(apiKeys.id, parsed.id));
  if (!row) {
    dummyHash ??= hashCredentialSecret(s.env, "imbi-unknown-api-key");
    await verifyCredentialSecret(s.env, parsed.secret, await dummyHash);
    throw invalidApiKey();
  }
  const now = Date.now();
  if (row.revokedAt || row.expiresAt.getTime() <= now) throw invalidApiKey();
  const current = await verifyCredentialSecret(s.env, parsed.secret, row.secretHash);
  const previous =
    !current &&
    row.previousSecretHash !== null &&
    row.previousSecretExpiresAt !== null &&
    row.previousSecretExpiresAt.getTime() > now &&
    (await verifyCredentialSecret(s.env, parsed.secret, row.previousSecretHash));
  if (!current && !previous) throw invalidApiKey();

  // Limited after the secret verified: counting unverified attempts would let anyone who saw a key
  // id (audit rows show them) exhaust its owner's budget. Guessing a 256-bit secret needs no limit.
  const spec = s.env.IMBI_AUTH_RATE_LIMIT_API_KEY;
  await enforceRateLimit(
    s,
    `rl:apikey:${row.id}`,
    spec,
    (retry) => `This API key exceeded its rate limit of ${spec}; retry in ${retry} s.`,
  );

  if (row.lastUsedAt === null || row.lastUsedAt.getTime() <= now - LAST_USED_THROTTLE_SECONDS * 1000)
    s.background(stampLastUsed(s, row.id));
  return {
    kind: row.ownerKind,
    id: row.ownerId,
    credential: { method: "api_key", keyId: row.id },
    scopes: row.scopes.length > 0 ? row.scopes : null,
    organizations: row.organizations,
  };
}

/** One conditional UPDATE: of concurrent requests (any process), at most one writes per minute. */
async function stampLastUsed(s: Services, id: string): Promise<void> {
  try {
    await s.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, id),
          or(
            isNull(apiKeys.lastUsedAt),
            lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${LAST_USED_THROTTLE_SECONDS})`),
          ),
        ),
      );
  } catch (e) {
    s.log.warn("api key last_used_at update failed", { key: id, error: (e as Error).message });
  }
}

/** Marks a key revoked (row, then the kv denylist for the rest of its lifetime); false if it already was. */
export async function revokeApiKeyRow(s: Services, row: ApiKeyRow, by: string): Promise<boolean> {
  const rows = await s.db
    .update(apiKeys)
    .set({ revokedAt: new Date(), revokedBy: by })
    .where(and(eq(apiKeys.id, row.id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  const ttl = Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000);
  // The row alone already refuses the key; the denylist entry is the fast path every process reads
  // first, kept only as long as the key could otherwise still work.
  if (ttl > 0) await s.kv.set(apiKeyDenyKey(row.id), true, { ttlSeconds: ttl }).catch(() => false);
  return rows.length > 0;
}

/**
 * Revokes every live key of an owner (a deleted user or service account), so that an account
 * created again under the same email or slug does not inherit them. Returns how many it revoked.
 */
export async function revokeOwnerApiKeys(
  s: Services,
  owner: { kind: "user" | "service_account"; id: string },
  by: string,
): Promise<number> {
  const live = await s.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.ownerKind, owner.kind), eq(apiKeys.ownerId, owner.id), isNull(apiKeys.revokedAt)));
  let revoked = 0;
  for (const row of live) if (await revokeApiKeyRow(s, row, by)) revoked++;
  return revoked;
}
