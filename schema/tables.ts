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

/**
 * An API key (`ik_<id>_<secret>`) of a user or a service account (schema/sql/0005_api_keys.sql).
 * `scopes` empty = everything the owner holds; `organizations` null = any of the owner's.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    ownerKind: text("owner_kind").$type<"user" | "service_account">().notNull(),
    ownerId: text("owner_id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().notNull().default([]),
    organizations: text("organizations").array(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastRotatedAt: timestamp("last_rotated_at", { withTimezone: true }),
    previousSecretHash: text("previous_secret_hash"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: text("revoked_by"),
  },
  (t) => [index("api_keys_owner_idx").on(t.ownerKind, t.ownerId, t.createdAt.desc(), t.id)],
);

/** An OAuth client registered by RFC 7591 DCR (schema/sql/0007_oauth.sql): public, PKCE only. */
export const oauthClients = pgTable("oauth_clients", {
  clientId: text("client_id").primaryKey(),
  clientName: text("client_name").notNull(),
  redirectUris: text("redirect_uris").array().notNull(),
  grantTypes: text("grant_types").array().notNull(),
  clientUri: text("client_uri"),
  softwareId: text("software_id"),
  softwareVersion: text("software_version"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  createdIp: text("created_ip"),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

/** A user's remembered consent to an OAuth client, for these OAuth scopes. */
export const oauthAuthorizations = pgTable(
  "oauth_authorizations",
  {
    userEmail: text("user_email").notNull(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userEmail, t.clientId] })],
);

/** One code exchange's chain of refresh tokens; OAuth access tokens carry its id as `sid`. */
export const oauthFamilies = pgTable(
  "oauth_families",
  {
    id: text("id").primaryKey(),
    userEmail: text("user_email").notNull(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull(),
    resource: text("resource").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
  },
  (t) => [
    index("oauth_families_user_client_idx").on(t.userEmail, t.clientId),
    index("oauth_families_client_idx").on(t.clientId),
  ],
);

/** A refresh token of an OAuth family; only its SHA-256 is stored. */
export const oauthRefreshTokens = pgTable(
  "oauth_refresh_tokens",
  {
    id: text("id").primaryKey(),
    familyId: text("family_id")
      .notNull()
      .references(() => oauthFamilies.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("oauth_refresh_tokens_family_idx").on(t.familyId)],
);
