// Who is acting, and what they may do where. Every door (HTTP route, MCP tool, webhook action, CLI
// command, queue consumer) turns its credential into an Actor; verbs decide with the Grants below.

/** How the actor proved who it is (audit rows name it; see {@link credentialLabel}). */
export type Credential =
  /**
   * A person's login session (access JWT or cookie); the session is the refresh-token family.
   * `password`: the access token came from a login; `refresh`: from a refresh of that session.
   */
  | { method: "password" | "refresh"; sessionId: string }
  /** An `ik_…` API key (a user's or a service account's). */
  | { method: "api_key"; keyId: string }
  /** A service account's token from `POST /api/auth/token` with a client secret. */
  | { method: "client_credentials"; clientId: string }
  /** A service account's token from `POST /api/auth/token` with a signed assertion (RFC 7523). */
  | { method: "private_key_jwt"; clientId: string; keyId: string }
  /** A token from Imbi's OAuth authorization server (MCP clients; issue 11). */
  | { method: "oauth"; clientId: string }
  /** An inbound webhook's rules, run as its service account (issue 13). */
  | { method: "webhook"; webhookId: string }
  /** Imbi itself: the CLI, the score consumer, the scheduler. */
  | { method: "internal" };

/** The methods a credential can have. */
export type CredentialMethod = Credential["method"];

/**
 * The credential as audit rows record it: `<method>:<id>` (`api_key:ik_…`, `password:<session>`,
 * `private_key_jwt:cc_…/<key id>`), `internal` for Imbi itself. Never a secret.
 */
export function credentialLabel(c: Credential): string {
  switch (c.method) {
    case "password":
    case "refresh":
      return `${c.method}:${c.sessionId}`;
    case "api_key":
      return `api_key:${c.keyId}`;
    case "client_credentials":
    case "oauth":
      return `${c.method}:${c.clientId}`;
    case "private_key_jwt":
      return `private_key_jwt:${c.clientId}/${c.keyId}`;
    case "webhook":
      return `webhook:${c.webhookId}`;
    case "internal":
      return "internal";
  }
}

/** The login session of a credential, when it is one (logout and "revoke my other sessions" need it). */
export function sessionOf(c: Credential): string | undefined {
  return c.method === "password" || c.method === "refresh" ? c.sessionId : undefined;
}

/** The kinds of actor a verb can meet. */
export type ActorKind = "user" | "service_account" | "system" | "anonymous";

/** The principal a verb runs for. */
export interface Actor {
  kind: ActorKind;
  /**
   * The stable name audit rows and events record: a user's email, a service account's slug, a
   * system component's name (`imbi-cli`, `score-consumer`), `""` for anonymous.
   */
  id: string;
  /** The global superuser flag of a user (every permission everywhere). */
  isAdmin: boolean;
  credential: Credential;
  /**
   * The permissions the credential is limited to (API-key scopes, OAuth scope); the actor's roles
   * grant at most these. `null`: everything the owner has.
   */
  scopes: readonly string[] | null;
  /** Organizations the credential is limited to (slugs); `null`: any the owner belongs to. */
  organizations: readonly string[] | null;
}

/**
 * The vertex of each kind of owner in the graph, and the property an actor's id is. Memberships
 * are the same `MEMBER_OF {role}` edge for both, so grants are evaluated the same way.
 */
export const OWNER_VERTEX = {
  user: { label: "User", key: "email" },
  service_account: { label: "ServiceAccount", key: "slug" },
} as const;

/** The caller of a public operation (login, status). */
export const ANONYMOUS: Actor = Object.freeze<Actor>({
  kind: "anonymous",
  id: "",
  isAdmin: false,
  credential: { method: "internal" },
  scopes: [],
  organizations: [],
});

/** Imbi acting on its own behalf (CLI, score consumer, scheduler): every permission. */
export function systemActor(name: string): Actor {
  return {
    kind: "system",
    id: name,
    isAdmin: true,
    credential: { method: "internal" },
    scopes: null,
    organizations: null,
  };
}

/** A user logged in with a session (`method`: how this access token was obtained). */
export function sessionUser(
  email: string,
  isAdmin: boolean,
  sessionId: string,
  method: "password" | "refresh" = "password",
): Actor {
  return {
    kind: "user",
    id: email,
    isAdmin,
    credential: { method, sessionId },
    scopes: null,
    organizations: null,
  };
}

/**
 * What a credential other than a login session establishes: its owner (a user's email or a
 * service account's slug), the credential, and the limits it carries (`null`: none).
 */
export interface CredentialGrant {
  kind: "user" | "service_account";
  id: string;
  credential: Credential;
  scopes: readonly string[] | null;
  organizations: readonly string[] | null;
}

/**
 * The actor of a credential. Only a user can be an administrator, and the flag is the owner's:
 * an API key of an administrator is still limited by its scopes. Service accounts never are.
 */
export function credentialActor(grant: CredentialGrant, ownerIsAdmin: boolean): Actor {
  return {
    kind: grant.kind,
    id: grant.id,
    isAdmin: grant.kind === "user" && ownerIsAdmin,
    credential: grant.credential,
    scopes: grant.scopes,
    organizations: grant.organizations,
  };
}
