import type { Services } from "../services.ts";

// HOOK POINT for the API-key table (owned by the API-keys work, lib/identity/api_keys.ts): deleting
// a service account must also revoke its `ik_…` keys. deleteServiceAccount (service_account_verbs.ts)
// calls this; until the API-keys module implements it, a service account has no API keys to revoke.

/**
 * Revokes (or deletes) every API key owned by service account `slug` and denylists them so their
 * requests stop at once; returns how many it revoked. Wire to the API-keys store at merge.
 */
export async function revokeServiceAccountApiKeys(_s: Services, _slug: string): Promise<number> {
  return 0;
}
