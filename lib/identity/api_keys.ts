import type { CredentialGrant } from "../core/actor.ts";
import { DomainError } from "../errors.ts";
import type { Services } from "../services.ts";

/** Every API key starts with this (`ik_<id>_<secret>`); other bearer tokens are JWTs. */
export const API_KEY_PREFIX = "ik_";

/** Verifies an API key (issue 10: not implemented yet). */
export async function authenticateApiKey(_s: Services, _token: string): Promise<CredentialGrant> {
  throw new DomainError("UNAUTHENTICATED", "Invalid, expired or revoked API key.");
}
