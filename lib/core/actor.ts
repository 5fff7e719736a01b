// Who is acting, and what they may do where. Every door (HTTP route, MCP tool, webhook action, CLI
// command, queue consumer) turns its credential into an Actor; verbs decide with the Grants below.

/** How the actor proved who it is. */
export type Credential =
  /** A person's login session (access JWT or cookie); the session is the refresh-token family. */
  | { method: "session"; sessionId: string }
  /** An `ik_…` API key (issue 10). */
  | { method: "api_key"; keyId: string }
  /** A token from Imbi's OAuth authorization server (MCP clients; issue 11). */
  | { method: "oauth"; clientId: string }
  /** A service account's client-credentials token (issue 10). */
  | { method: "client_credentials"; clientId: string }
  /** Imbi itself: the CLI, the score consumer, the scheduler. */
  | { method: "internal" };

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

/** A user logged in with a session (the only credential today; API keys and OAuth come next). */
export function sessionUser(email: string, isAdmin: boolean, sessionId: string): Actor {
  return {
    kind: "user",
    id: email,
    isAdmin,
    credential: { method: "session", sessionId },
    scopes: null,
    organizations: null,
  };
}
