// OAuth clients: RFC 7591 dynamic registration (public clients only), and their rows.
import { desc, eq } from "drizzle-orm";
import { nanoid } from "nanoid";
import { oauthClients } from "../../schema/tables.ts";
import type { Services } from "../services.ts";

/** A registered client as stored. */
export type OAuthClient = typeof oauthClients.$inferSelect;

/** The prefix of every client id Imbi issues (tells them apart from `cc_…` machine credentials). */
export const OAUTH_CLIENT_PREFIX = "oc_";
const GRANT_TYPES = ["authorization_code", "refresh_token"];
const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);
const MAX_REDIRECT_URIS = 10;

/** An RFC 7591 §3.2.2 error. */
export class RegistrationError extends Error {
  constructor(
    readonly error: "invalid_redirect_uri" | "invalid_client_metadata",
    readonly description: string,
  ) {
    super(description);
    this.name = "RegistrationError";
  }
}

/**
 * Why a redirect URI is refused, or null when it is acceptable: https anywhere, http only on a
 * loopback host (RFC 8252 §7.3), no fragment (RFC 6749 §3.1.2), no credentials in it.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > 2000) return "is longer than 2000 characters";
  if (uri.includes("#")) return "must not contain a fragment";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "is not an absolute URL";
  }
  if (url.username || url.password) return "must not contain credentials";
  if (url.protocol === "https:") return url.hostname ? null : "has no host";
  if (url.protocol === "http:")
    return LOOPBACK.has(url.hostname)
      ? null
      : "must use https (http is allowed only on 127.0.0.1, [::1] or localhost)";
  return "must use https, or http on a loopback address";
}

/** The client metadata a registration request may carry (RFC 7591 §2); others are ignored. */
export interface RegistrationRequest {
  redirect_uris?: unknown;
  client_name?: unknown;
  grant_types?: unknown;
  response_types?: unknown;
  token_endpoint_auth_method?: unknown;
  client_uri?: unknown;
  software_id?: unknown;
  software_version?: unknown;
  scope?: unknown;
}

const optionalString = (v: unknown, name: string, max: number): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v.length > max)
    throw new RegistrationError(
      "invalid_client_metadata",
      `${name} must be a string of at most ${max} characters.`,
    );
  return v;
};

const stringList = (v: unknown, name: string): string[] | undefined => {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
    throw new RegistrationError("invalid_client_metadata", `${name} must be an array of strings.`);
  return v as string[];
};

/** Validates a registration request into the row to store (throws {@link RegistrationError}). */
export function validateRegistration(
  req: RegistrationRequest,
): Omit<OAuthClient, "createdAt" | "createdIp" | "revokedAt"> {
  const redirectUris = stringList(req.redirect_uris, "redirect_uris");
  if (!redirectUris || redirectUris.length === 0)
    throw new RegistrationError(
      "invalid_redirect_uri",
      "redirect_uris is required: at least one redirect URI.",
    );
  if (redirectUris.length > MAX_REDIRECT_URIS)
    throw new RegistrationError("invalid_redirect_uri", `At most ${MAX_REDIRECT_URIS} redirect URIs.`);
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem)
      throw new RegistrationError(
        "invalid_redirect_uri",
        `Redirect URI ${JSON.stringify(uri.slice(0, 200))} ${problem}.`,
      );
  }
  const method = optionalString(req.token_endpoint_auth_method, "token_endpoint_auth_method", 64) ?? "none";
  if (method !== "none")
    throw new RegistrationError(
      "invalid_client_metadata",
      "Only public clients can register: token_endpoint_auth_method must be 'none' (PKCE protects the code).",
    );
  const grantTypes = stringList(req.grant_types, "grant_types") ?? GRANT_TYPES;
  const badGrant = grantTypes.find((g) => !GRANT_TYPES.includes(g));
  if (badGrant || !grantTypes.includes("authorization_code"))
    throw new RegistrationError(
      "invalid_client_metadata",
      `grant_types must include authorization_code and may add refresh_token${badGrant ? ` ('${badGrant.slice(0, 64)}' is not allowed)` : ""}.`,
    );
  const responseTypes = stringList(req.response_types, "response_types") ?? ["code"];
  if (responseTypes.some((r) => r !== "code"))
    throw new RegistrationError("invalid_client_metadata", "response_types may only contain 'code'.");
  const clientUri = optionalString(req.client_uri, "client_uri", 2000);
  if (clientUri !== undefined && !/^https?:\/\//i.test(clientUri))
    throw new RegistrationError("invalid_client_metadata", "client_uri must be an http(s) URL.");
  const name = optionalString(req.client_name, "client_name", 200)?.trim();
  return {
    clientId: `${OAUTH_CLIENT_PREFIX}${nanoid(22)}`,
    clientName: name || new URL(redirectUris[0] as string).host,
    redirectUris: [...new Set(redirectUris)],
    grantTypes: [...new Set(grantTypes)],
    clientUri: clientUri ?? null,
    softwareId: optionalString(req.software_id, "software_id", 200) ?? null,
    softwareVersion: optionalString(req.software_version, "software_version", 200) ?? null,
  };
}

/** One client by id (revoked ones too: callers decide). */
export async function findOAuthClient(
  db: Services["db"],
  clientId: string,
): Promise<OAuthClient | undefined> {
  if (!clientId.startsWith(OAUTH_CLIENT_PREFIX) || clientId.length > 64) return undefined;
  const [row] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId));
  return row;
}

/** Every registered client, newest first. */
export function listOAuthClientRows(db: Services["db"]): Promise<OAuthClient[]> {
  return db
    .select()
    .from(oauthClients)
    .orderBy(desc(oauthClients.createdAt), desc(oauthClients.clientId))
    .limit(1000);
}
