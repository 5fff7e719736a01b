// Imbi's own machine identities (reference §4.5): `imbi-scheduler` authenticates with a client
// credential, `imbi-gateway` (the webhook gateway) with an API key. `imbi setup` makes them, with
// their system roles in the system organization, idempotently. A secret comes from the environment
// when set — then every run re-asserts it (same secret, fresh expiry, not revoked), so a deployment
// that keeps its env never finds its scheduler locked out a year later — otherwise it is generated
// once and returned for the CLI to print once (it is never logged).
import { and, eq } from "drizzle-orm";
import { apiKeys, clientCredentials } from "../../schema/tables.ts";
import { hashCredentialSecret, newCredentialSecret } from "../auth/credential_hash.ts";
import { DomainError } from "../errors.ts";
import type { Services } from "../services.ts";
import { apiKeyDenyKey, newApiKeyId, parseApiKey } from "./api_keys.ts";
import { CLIENT_ID_PREFIX } from "./service_account_credentials.ts";
import { addServiceAccountMembership, createServiceAccount } from "./service_accounts.ts";

/** What the environment may pin (reference names). */
export interface InternalAccountSecrets {
  /** `IMBI_SCHEDULER_SA_CLIENT_ID`: the scheduler's client id (`cc_…`). */
  schedulerClientId?: string;
  /** `IMBI_SCHEDULER_SA_CLIENT_SECRET`: its secret (at least 32 characters). */
  schedulerClientSecret?: string;
  /** `ACTIONS_IMBI_TOKEN`: the gateway's whole API key (`ik_<32 hex>_<43 characters>`). */
  gatewayApiKey?: string;
}

/** One seeded account, as `imbi setup` reports it. */
export interface InternalAccountReport {
  slug: string;
  created: boolean;
  /** Where its credential came from, or `existing` when one was already there. */
  credential: "environment" | "generated" | "existing";
  /** The id of the credential (client id or API-key id). */
  credentialId: string | null;
  /** Set only when generated now: show once, never store or log. */
  secret: string | null;
}

const SCHEDULER = {
  slug: "imbi-scheduler",
  display_name: "Imbi scheduler",
  description: "Runs Imbi's scheduled tasks; authenticates with a client credential.",
  role: "imbi-scheduler",
};
const GATEWAY = {
  slug: "imbi-gateway",
  display_name: "Imbi webhook gateway",
  description: "Applies inbound webhook actions; authenticates with an API key.",
  role: "imbi-gateway",
};

/** Checks the pinned secrets' shapes before anything is written (a bad env is an operator's fix). */
export function checkInternalAccountSecrets(secrets: InternalAccountSecrets): void {
  const { schedulerClientId: id, schedulerClientSecret: secret, gatewayApiKey: key } = secrets;
  if ((id === undefined) !== (secret === undefined))
    throw new DomainError(
      "BAD_ENVIRONMENT",
      "Set both IMBI_SCHEDULER_SA_CLIENT_ID and IMBI_SCHEDULER_SA_CLIENT_SECRET, or neither.",
    );
  if (id !== undefined && !/^cc_[A-Za-z0-9_-]{8,64}$/.test(id))
    throw new DomainError(
      "BAD_ENVIRONMENT",
      "IMBI_SCHEDULER_SA_CLIENT_ID must look like cc_<8–64 of A-Z a-z 0-9 _ ->.",
    );
  if (secret !== undefined && secret.length < 32)
    throw new DomainError(
      "BAD_ENVIRONMENT",
      "IMBI_SCHEDULER_SA_CLIENT_SECRET must be at least 32 characters.",
    );
  if (key !== undefined && !parseApiKey(key))
    throw new DomainError(
      "BAD_ENVIRONMENT",
      "ACTIONS_IMBI_TOKEN must be an Imbi API key: ik_<32 hex digits>_<43 base64url characters>.",
    );
}

/** The account and its membership in the system organization (when that organization exists). */
async function ensureAccount(s: Services, account: typeof SCHEDULER, organization: string): Promise<boolean> {
  const { graph } = s;
  const exists = await graph.one("MATCH (a:ServiceAccount) WHERE a.slug = $slug RETURN a.slug", {
    slug: account.slug,
  });
  if (!exists) await createServiceAccount(graph, account);
  const member = await graph.one(
    `MATCH (a:ServiceAccount)-[m:MEMBER_OF]->(o:Organization) WHERE a.slug = $slug AND o.slug = $org
     RETURN m.role`,
    { slug: account.slug, org: organization },
  );
  const org = await graph.one("MATCH (o:Organization) WHERE o.slug = $org RETURN o.slug", {
    org: organization,
  });
  if (!member && org) await addServiceAccountMembership(graph, account.slug, organization, account.role);
  return !exists;
}

const expiry = (s: Services) => new Date(Date.now() + s.env.IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS * 86_400_000);

async function seedScheduler(s: Services, secrets: InternalAccountSecrets, org: string) {
  const created = await ensureAccount(s, SCHEDULER, org);
  const report: InternalAccountReport = {
    slug: SCHEDULER.slug,
    created,
    credential: "existing",
    credentialId: null,
    secret: null,
  };
  const values = (clientId: string, secretHash: string) => ({
    clientId,
    serviceAccount: SCHEDULER.slug,
    name: "imbi-scheduler (imbi setup)",
    secretHash,
    scopes: [],
    organizations: [],
    expiresAt: expiry(s),
    revokedAt: null,
  });
  if (secrets.schedulerClientId && secrets.schedulerClientSecret) {
    const hash = await hashCredentialSecret(s.env, secrets.schedulerClientSecret);
    const row = values(secrets.schedulerClientId, hash);
    const [existing] = await s.db
      .select({ account: clientCredentials.serviceAccount })
      .from(clientCredentials)
      .where(eq(clientCredentials.clientId, row.clientId));
    if (existing && existing.account !== SCHEDULER.slug)
      throw new DomainError(
        "BAD_ENVIRONMENT",
        `IMBI_SCHEDULER_SA_CLIENT_ID ${row.clientId} belongs to service account '${existing.account}'.`,
      );
    await s.db
      .insert(clientCredentials)
      .values(row)
      .onConflictDoUpdate({
        target: clientCredentials.clientId,
        set: { secretHash: hash, expiresAt: row.expiresAt, revokedAt: null },
      });
    return { ...report, credential: "environment" as const, credentialId: row.clientId };
  }
  const [live] = await s.db
    .select({ id: clientCredentials.clientId })
    .from(clientCredentials)
    .where(eq(clientCredentials.serviceAccount, SCHEDULER.slug))
    .limit(1);
  if (live) return { ...report, credentialId: live.id };
  const secret = newCredentialSecret();
  const clientId = `${CLIENT_ID_PREFIX}${newApiKeyId().slice(3, 25)}`;
  await s.db.insert(clientCredentials).values(values(clientId, await hashCredentialSecret(s.env, secret)));
  return { ...report, credential: "generated" as const, credentialId: clientId, secret };
}

async function seedGateway(s: Services, secrets: InternalAccountSecrets, org: string) {
  const created = await ensureAccount(s, GATEWAY, org);
  const report: InternalAccountReport = {
    slug: GATEWAY.slug,
    created,
    credential: "existing",
    credentialId: null,
    secret: null,
  };
  const owner = and(eq(apiKeys.ownerKind, "service_account"), eq(apiKeys.ownerId, GATEWAY.slug));
  const values = (id: string, secretHash: string) => ({
    id,
    ownerKind: "service_account" as const,
    ownerId: GATEWAY.slug,
    name: "imbi-gateway (imbi setup)",
    description: "The webhook gateway's key, made by imbi setup.",
    secretHash,
    scopes: [],
    organizations: null,
    expiresAt: expiry(s),
    createdBy: "imbi-setup",
    revokedAt: null,
  });
  const pinned = secrets.gatewayApiKey ? parseApiKey(secrets.gatewayApiKey) : null;
  if (pinned) {
    const hash = await hashCredentialSecret(s.env, pinned.secret);
    const [existing] = await s.db
      .select({ kind: apiKeys.ownerKind, owner: apiKeys.ownerId })
      .from(apiKeys)
      .where(eq(apiKeys.id, pinned.id));
    if (existing && (existing.kind !== "service_account" || existing.owner !== GATEWAY.slug))
      throw new DomainError(
        "BAD_ENVIRONMENT",
        `ACTIONS_IMBI_TOKEN's key ${pinned.id} belongs to another owner.`,
      );
    const row = values(pinned.id, hash);
    await s.db
      .insert(apiKeys)
      .values(row)
      .onConflictDoUpdate({
        target: apiKeys.id,
        set: { secretHash: hash, expiresAt: row.expiresAt, revokedAt: null, previousSecretHash: null },
      });
    // A key revoked before is denylisted in kv: the pinned key is live again, so the entry goes.
    await s.kv.del(apiKeyDenyKey(pinned.id)).catch(() => 0);
    return { ...report, credential: "environment" as const, credentialId: pinned.id };
  }
  const [live] = await s.db.select({ id: apiKeys.id }).from(apiKeys).where(owner).limit(1);
  if (live) return { ...report, credentialId: live.id };
  const id = newApiKeyId();
  const secret = newCredentialSecret();
  await s.db.insert(apiKeys).values(values(id, await hashCredentialSecret(s.env, secret)));
  return { ...report, credential: "generated" as const, credentialId: id, secret: `${id}_${secret}` };
}

/**
 * Seeds `imbi-scheduler` and `imbi-gateway` with their roles in `organization` (the system
 * organization) and one credential each. Idempotent; see the file comment for secrets.
 */
export async function seedInternalAccounts(
  s: Services,
  secrets: InternalAccountSecrets,
  organization: string,
): Promise<InternalAccountReport[]> {
  checkInternalAccountSecrets(secrets);
  return [await seedScheduler(s, secrets, organization), await seedGateway(s, secrets, organization)];
}
