import { index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Relational bookkeeping next to the graph. The DDL lives in schema/sql/*.sql (versioned,
 * applied by `imbi migrate`); these declarations must match it.
 */
export const migrations = pgTable("imbi_migrations", {
  name: text("name").primaryKey(),
  checksum: text("checksum").notNull(),
  appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One login session: a chain of rotating refresh tokens. Revoking it ends the session. */
export const sessionFamilies = pgTable(
  "session_families",
  {
    id: text("id").primaryKey(),
    userEmail: text("user_email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
    ip: text("ip"),
  },
  (t) => [index("session_families_user_idx").on(t.userEmail)],
);

/** A refresh token; only its SHA-256 is stored. `usedAt` set = rotated; presenting it again is reuse. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    familyId: text("family_id")
      .notNull()
      .references(() => sessionFamilies.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId)],
);

/** A service account's client credential (`cc_<id>` + a hashed secret). Empty arrays = no limit. */
export const clientCredentials = pgTable(
  "client_credentials",
  {
    clientId: text("client_id").primaryKey(),
    serviceAccount: text("service_account").notNull(),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().notNull().default([]),
    organizations: text("organizations").array().notNull().default([]),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("client_credentials_account_idx").on(t.serviceAccount)],
);

/** A service account's public key for private_key_jwt (kid = RFC 7638 thumbprint). */
export const serviceAccountKeys = pgTable(
  "service_account_keys",
  {
    kid: text("kid").primaryKey(),
    serviceAccount: text("service_account").notNull(),
    name: text("name").notNull(),
    alg: text("alg").notNull(),
    jwk: jsonb("jwk").$type<Record<string, string>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("service_account_keys_account_idx").on(t.serviceAccount)],
);

/** Client assertions already used, until they expire (replay protection). */
export const usedAssertions = pgTable(
  "used_assertions",
  {
    clientId: text("client_id").notNull(),
    jti: text("jti").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.jti] }), index("used_assertions_expires_idx").on(t.expiresAt)],
);
