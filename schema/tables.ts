import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

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

/** A release of a project (schema/sql/0008_releases.sql, 0010): a version, unique per project. */
export const releases = pgTable(
  "releases",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    projectId: text("project_id").notNull(),
    version: text("version").notNull(),
    committish: text("committish"),
    title: text("title").notNull().default(""),
    notes: text("notes").notNull().default(""),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // schema/sql/0010_release_publishing.sql: set once, when the release is published.
    publishedAt: timestamp("published_at", { withTimezone: true }),
    publishedBy: text("published_by"),
    prerelease: boolean("prerelease").notNull().default(false),
  },
  (t) => [
    unique("releases_project_version_key").on(t.orgId, t.projectId, t.version),
    index("releases_project_idx").on(t.orgId, t.projectId, t.createdAt.desc(), t.id.desc()),
    index("releases_committish_idx").on(t.orgId, t.projectId, t.committish),
  ],
);

/** A blocker on a release: open (refuses deployments) until resolved. */
export const releaseBlockers = pgTable(
  "release_blockers",
  {
    id: text("id").primaryKey(),
    releaseId: text("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: text("resolved_by"),
    resolutionNote: text("resolution_note"),
  },
  (t) => [index("release_blockers_release_idx").on(t.releaseId, t.createdAt.desc(), t.id.desc())],
);

/** The statuses a deployment moves through; the last three are terminal. */
export const DEPLOYMENT_STATUSES = ["pending", "in_progress", "success", "failed", "rolled_back"] as const;

/** A deployment of a project to an environment; `releaseId` null = unattached (only `ref` known). */
export const deployments = pgTable(
  "deployments",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    projectId: text("project_id").notNull(),
    environmentId: text("environment_id").notNull(),
    releaseId: text("release_id").references(() => releases.id, { onDelete: "set null" }),
    ref: text("ref"),
    status: text("status").$type<(typeof DEPLOYMENT_STATUSES)[number]>().notNull(),
    externalRunId: text("external_run_id"),
    externalRunUrl: text("external_run_url"),
    note: text("note"),
    performedBy: text("performed_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("deployments_run_key")
      .on(t.orgId, t.projectId, t.externalRunId)
      .where(sql`external_run_id IS NOT NULL`),
    index("deployments_history_idx").on(t.orgId, t.projectId, t.createdAt.desc(), t.id.desc()),
    index("deployments_env_idx").on(t.orgId, t.projectId, t.environmentId, t.createdAt.desc(), t.id.desc()),
    index("deployments_unattached_idx").on(t.orgId, t.projectId, t.ref).where(sql`release_id IS NULL`),
    index("deployments_release_idx").on(t.releaseId),
  ],
);
