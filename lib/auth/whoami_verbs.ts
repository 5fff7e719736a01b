import { type Credential, sessionOf } from "../core/actor.ts";
import { defineVerb } from "../core/verb.ts";
import { membershipsOf } from "../identity/permissions.ts";
import { getServiceAccount, serviceAccountMemberships } from "../identity/service_accounts.ts";
import { getUser } from "../identity/users.ts";

// `GET /api/auth/whoami`: who the caller is, for any principal (a user's session or API key, a
// service account's token): how it authenticated, with which credential, the scope it carries,
// and per organization the role and the permissions it has there **after** the scope — the same
// grants every verb checks (lib/core/grants.ts), so what this lists is exactly what is allowed.

/** The caller as whoami shows it. */
export interface WhoAmI {
  kind: "user" | "service_account";
  id: string;
  display_name: string;
  is_admin: boolean;
  auth_method: Credential["method"];
  credential_id: string | null;
  key_id: string | null;
  scopes: string[] | null;
  credential_organizations: string[] | null;
  organizations: { slug: string; name: string; role: string; permissions: string[] }[];
}

/** The credential's own id: the session, API key or client id (never a secret). */
function credentialId(c: Credential): { id: string | null; key: string | null } {
  switch (c.method) {
    case "api_key":
      return { id: c.keyId, key: null };
    case "client_credentials":
    case "oauth":
      return { id: c.clientId, key: null };
    case "private_key_jwt":
      return { id: c.clientId, key: c.keyId };
    default:
      return { id: sessionOf(c) ?? null, key: null };
  }
}

/** The authenticated caller: identity, credential, scope, and effective permissions per organization. */
export const whoami = defineVerb({
  name: "whoami",
  access: { scope: "authenticated" },
  async run(ctx): Promise<WhoAmI> {
    const { actor } = ctx;
    const { graph } = ctx.services;
    if (actor.kind !== "user" && actor.kind !== "service_account")
      throw new Error(`whoami reached by a ${actor.kind} actor`);
    const [displayName, orgs] =
      actor.kind === "user"
        ? await Promise.all([
            getUser(graph, actor.id).then((u) => u.display_name),
            membershipsOf(graph, actor.id),
          ])
        : await Promise.all([
            getServiceAccount(graph, actor.id).then((a) => a.display_name),
            serviceAccountMemberships(graph, actor.id),
          ]);
    const organizations = [];
    for (const o of orgs) {
      const effective = await ctx.grants.in(o.slug);
      organizations.push({ slug: o.slug, name: o.name, role: o.role, permissions: [...effective].sort() });
    }
    const { id, key } = credentialId(actor.credential);
    return {
      kind: actor.kind,
      id: actor.id,
      display_name: displayName,
      is_admin: actor.isAdmin,
      auth_method: actor.credential.method,
      credential_id: id,
      key_id: key,
      scopes: actor.scopes ? [...actor.scopes] : null,
      credential_organizations: actor.organizations ? [...actor.organizations] : null,
      organizations,
    };
  },
});
