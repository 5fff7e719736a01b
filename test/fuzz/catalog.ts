// The catalog the HTTP fuzzer runs against: the demo organization loaded through the API (teams,
// types, environments, links, a blueprint, policies, levels, ~60 projects with dependencies), plus
// the principals and entries the fuzzer needs. `fixture()` answers real values for parameters and
// body fields by name; `victim()` creates a fresh entity for operations that destroy or lock what
// they touch, so the seeded catalog stays usable for the whole run.
import fc from "fast-check";
import { exportJWK, generateKeyPair } from "jose";
import { DEMO_ORG } from "../../apps/node/demo/dataset.ts";
import { loadDemo } from "../../apps/node/demo/load.ts";
import { issueSession } from "../../lib/auth/tokens.ts";
import { addMembership } from "../../lib/identity/memberships.ts";
import { createUser } from "../../lib/identity/users.ts";
import type { TestApp } from "../harness/app.ts";

/** Real values of the seeded catalog. */
export interface Catalog {
  org: string;
  teams: string[];
  environments: string[];
  projectTypes: string[];
  links: string[];
  projects: { id: string; slug: string }[];
  roles: string[];
  permissions: string[];
  policies: string[];
  blueprints: { type: string; slug: string }[];
  entries: string[];
  /** Users that may be read but never changed (principals). */
  users: string[];
  tokens: {
    admin: string;
    /** A `readonly` member of the organization. */
    reader: string;
    /** A user who belongs to no organization. */
    outsider: string;
  };
  /** Permissions of the `readonly` role (what `reader` holds in the organization). */
  readerPermissions: string[];
  /** A service account (member of the organization) with a client credential, a public key and API keys. */
  serviceAccount: { slug: string; clientId: string; kid: string; keys: string[] };
  /** Public JWKs a registration may use (each is registered at most once; again is a 409). */
  publicJwks: Record<string, string>[];
  /** API key ids of the admin (`/api/api-keys/{key_id}`). */
  apiKeys: string[];
}

const PASSWORD = "Fuzz-Passw0rd!x";

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`fuzz seed: ${what} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Loads the demo organization and the fuzzer's principals; returns what it created. */
export async function seedCatalog(app: TestApp): Promise<Catalog> {
  const token = app.adminToken;
  const api = (method: string, path: string, body?: unknown) => app.json(method, path, body, token);
  await loadDemo(api);
  const org = DEMO_ORG.slug;
  const base = `/api/organizations/${org}`;
  const slugs = async (path: string) =>
    (await json<{ data: { slug: string }[] }>(await api("GET", `${path}?limit=500`), path)).data.map(
      (x) => x.slug,
    );
  const reader = await app.user("reader@fuzz.test", [{ org, role: "readonly" }]);
  const outsider = await app.user("outsider@fuzz.test");
  await app.user("member@fuzz.test", [{ org, role: "developer" }]);
  await app.user("login@fuzz.test", [], { password: PASSWORD });
  await json(
    await api("POST", "/api/roles", {
      slug: "fuzz-role",
      name: "Fuzz role",
      permissions: ["project:read"],
    }),
    "role",
  );
  const projects = (
    await json<{ data: { id: string; slug: string }[] }>(
      await api("GET", `${base}/projects?limit=500&fields=slug`),
      "projects",
    )
  ).data;
  const entries: string[] = [];
  for (const p of projects.slice(0, 5)) {
    const e = await json<{ id: string }>(
      await api("POST", "/api/operations-log", {
        project_id: p.id,
        environment_slug: "production",
        entry_type: "Deployed",
        description: `Deployed ${p.slug}`,
        version: "v1.0.0",
      }),
      "operations-log entry",
    );
    entries.push(e.id);
  }
  const blueprints = (
    await json<{ data: { type: string | null; kind: string; slug: string }[] }>(
      await api("GET", "/api/blueprints?limit=500"),
      "blueprints",
    )
  ).data.map((b) => ({ type: b.kind === "node" ? (b.type ?? "Project") : "relationship", slug: b.slug }));
  const readonly = await json<{ permissions: string[]; inherits_from: string | null }>(
    await api("GET", "/api/roles/readonly"),
    "readonly role",
  );
  const serviceAccount = await seedServiceAccount(api, "fuzz-sa", org);
  const apiKeys: string[] = [];
  for (const name of ["fuzz-key-1", "fuzz-key-2"])
    apiKeys.push((await json<{ key_id: string }>(await api("POST", "/api/api-keys", { name }), name)).key_id);
  const saKeys: string[] = [];
  for (const name of ["fuzz-sa-key-1", "fuzz-sa-key-2"])
    saKeys.push(
      (
        await json<{ key_id: string }>(
          await api("POST", `/api/service-accounts/${serviceAccount.slug}/api-keys`, { name }),
          name,
        )
      ).key_id,
    );
  await app.settle();
  return {
    org,
    teams: await slugs(`${base}/teams`),
    environments: await slugs(`${base}/environments`),
    projectTypes: await slugs(`${base}/project-types`),
    links: await slugs(`${base}/link-definitions`),
    projects,
    roles: await slugs("/api/roles"),
    permissions: (
      await json<{ data: { name: string }[] }>(await api("GET", "/api/permissions?limit=500"), "permissions")
    ).data.map((p) => p.name),
    policies: await slugs("/api/scoring/policies"),
    blueprints,
    entries,
    users: ["admin@imbi.test", "reader@fuzz.test", "outsider@fuzz.test", "member@fuzz.test"],
    tokens: { admin: token, reader: reader.token, outsider: outsider.token },
    readerPermissions: readonly.permissions,
    serviceAccount: { ...serviceAccount, keys: saKeys },
    publicJwks: await Promise.all(
      ["EdDSA", "ES256", "EdDSA"].map(async (alg) => {
        const { publicKey } = await generateKeyPair(alg, {
          crv: alg === "EdDSA" ? "Ed25519" : undefined,
          extractable: true,
        });
        return (await exportJWK(publicKey)) as Record<string, string>;
      }),
    ),
    apiKeys,
  };
}

/** A service account in `org` with a client credential and a registered Ed25519 key. */
async function seedServiceAccount(
  api: (method: string, path: string, body?: unknown) => Promise<Response>,
  slug: string,
  org: string,
): Promise<{ slug: string; clientId: string; kid: string }> {
  const base = `/api/service-accounts/${slug}`;
  await json(await api("POST", "/api/service-accounts", { slug, display_name: slug }), "service account");
  await json(
    await api("POST", `${base}/organizations`, { organization: org, role: "readonly" }),
    "sa membership",
  );
  const cred = await json<{ client_id: string }>(
    await api("POST", `${base}/client-credentials`, { name: "fuzz" }),
    "client credential",
  );
  const { publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const key = await json<{ kid: string }>(
    await api("POST", `${base}/keys`, { name: "fuzz", jwk: await exportJWK(publicKey) }),
    "public key",
  );
  return { slug, clientId: cred.client_id, kid: key.kid };
}

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/**
 * A real value for a parameter or top-level body field called `name` of the operation at `path`,
 * or undefined when the name is not a reference to the catalog.
 */
export function fixture(c: Catalog, path: string, name: string): fc.Arbitrary<unknown> | undefined {
  const ids = c.projects.map((p) => p.id);
  switch (name) {
    case "org":
    case "organization":
      return fc.constant(c.org);
    case "organizations":
      if (path.includes("/client-credentials")) return fc.subarray([c.org]);
      // The admin belongs to no organization; null (every one the owner belongs to) is always valid.
      return path.includes("api-keys") ? fc.constant(null) : undefined;
    case "team":
      return pick(c.teams);
    case "environment":
    case "env":
    case "environment_slug":
      return pick(c.environments);
    case "project_type":
      return pick(c.projectTypes);
    case "project_types":
    case "targets":
      return fc.subarray(c.projectTypes, { minLength: 1, maxLength: Math.min(2, c.projectTypes.length) });
    case "link_definition":
    case "link_slug":
      return pick(c.links);
    case "project_id":
    case "targetId":
      return pick(ids);
    case "from":
    case "to":
      // A usage window must be ordered and at most 366 days long: a real month.
      if (path.endsWith("/usage")) return fc.constant(name === "from" ? "2026-01-01" : "2026-01-31");
      if (path.endsWith("/releases/drift")) return pick(c.environments);
      return path.endsWith("/graph/path") ? pick(ids) : undefined;
    case "expires_in_days":
      // The maximum is configured (IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS, 365 here), not in the schema.
      return fc.integer({ min: 1, max: 365 });
    case "id":
      if (path.startsWith("/api/operations-log")) return pick(c.entries);
      return path.includes("/projects/") ? pick(ids) : undefined;
    case "email":
      return path.includes("/teams/") ? fc.constant("member@fuzz.test") : pick(c.users);
    case "role":
    case "inherits_from":
      return pick(c.roles);
    case "permission":
      return pick(c.permissions);
    case "permissions":
      return fc.subarray(c.permissions, { maxLength: Math.min(3, c.permissions.length) });
    case "policy":
      return pick(c.policies);
    case "environments":
      return fc
        .subarray(c.environments, { maxLength: Math.min(2, c.environments.length) })
        .map((envs) => Object.fromEntries(envs.map((e) => [e, { url: `https://fuzz.${e}.example.com` }])));
    case "links":
      return fc
        .subarray(c.links, { maxLength: Math.min(2, c.links.length) })
        .map((ls) => Object.fromEntries(ls.map((l) => [l, `https://links.example.com/${l}`])));
    case "client_id":
      return path.includes("/client-credentials/") ? fc.constant(c.serviceAccount.clientId) : undefined;
    case "kid":
      return fc.constant(c.serviceAccount.kid);
    case "jwk":
      return path.endsWith("/keys") ? pick(c.publicJwks) : undefined;
    case "key_id":
      return path.startsWith("/api/service-accounts/") ? pick(c.serviceAccount.keys) : pick(c.apiKeys);
    case "scopes":
      return fc.subarray(c.readerPermissions, { maxLength: Math.min(2, c.readerPermissions.length) });
    case "slug":
      if (path.startsWith("/api/service-accounts/")) return fc.constant(c.serviceAccount.slug);
      if (path.startsWith("/api/roles/")) return pick(c.roles);
      if (path.startsWith("/api/scoring/policies/")) return pick(c.policies);
      if (path.startsWith("/api/blueprints/")) return pick(c.blueprints.map((b) => b.slug));
      return undefined;
    case "type":
      return path.startsWith("/api/blueprints/") ? pick(c.blueprints.map((b) => b.type)) : undefined;
    default:
      return undefined;
  }
}

/** What a victim factory returns: path parameters, and the token to act with when not the admin's. */
export interface Victim {
  params: Record<string, string>;
  token?: string;
  body?: Record<string, unknown>;
}

let serial = 0;

/**
 * Operations that destroy, rename or lock what they touch get a fresh entity for each valid attempt
 * (made through the API or the identity layer, not counted as fuzz requests).
 */
export async function victim(app: TestApp, c: Catalog, opId: string): Promise<Victim | undefined> {
  const n = ++serial;
  const api = (method: string, path: string, body?: unknown) => app.json(method, path, body, c.tokens.admin);
  const base = `/api/organizations/${c.org}`;
  const user = async () => {
    // No password: hashing one (Argon2id) would cost more than the request under test.
    const email = `victim-${n}@fuzz.test`;
    await createUser(app.db.graph, { email, display_name: `Victim ${n}` });
    await addMembership(app.db.graph, email, c.org, "developer");
    return email;
  };
  switch (opId) {
    case "deleteUser":
    case "revokeUserSessions":
    case "updateUser":
    case "changePassword":
    case "addMembership":
      return { params: { email: await user() } };
    case "updateMembership":
    case "deleteMembership":
      return { params: { email: await user(), org: c.org } };
    case "deleteRole":
    case "updateRole":
    case "grantPermission":
    case "revokePermission": {
      const slug = `victim-role-${n}`;
      await json(await api("POST", "/api/roles", { slug, name: slug, permissions: ["project:read"] }), slug);
      return { params: { slug, permission: "project:read" } };
    }
    case "deleteOrganization":
    case "updateOrganization": {
      const slug = `victim-org-${n}`;
      await json(await api("POST", "/api/organizations", { slug, name: slug }), slug);
      return { params: { org: slug } };
    }
    case "deleteTeam": {
      const slug = `victim-team-${n}`;
      await json(await api("POST", `${base}/teams`, { slug, name: slug }), slug);
      return { params: { team: slug } };
    }
    case "removeTeamMember": {
      const email = await user();
      const team = `victim-team-${n}`;
      await json(await api("POST", `${base}/teams`, { slug: team, name: team }), team);
      await json(await api("POST", `${base}/teams/${team}/members`, { email }), "team member");
      return { params: { team, email } };
    }
    case "deleteEnvironment": {
      const slug = `victim-env-${n}`;
      await json(await api("POST", `${base}/environments`, { slug, name: slug }), slug);
      return { params: { environment: slug } };
    }
    case "deleteProjectType": {
      const slug = `victim-type-${n}`;
      await json(await api("POST", `${base}/project-types`, { slug, name: slug }), slug);
      return { params: { project_type: slug } };
    }
    case "deleteLinkDefinition": {
      const slug = `victim-link-${n}`;
      await json(
        await api("POST", `${base}/link-definitions`, {
          slug,
          name: slug,
          url_template: "https://example.com/{slug}",
        }),
        slug,
      );
      return { params: { link_definition: slug } };
    }
    case "deleteProject": {
      const p = await json<{ id: string }>(
        await api("POST", `${base}/projects`, {
          slug: `victim-project-${n}`,
          name: `Victim ${n}`,
          team: c.teams[0],
          project_types: [c.projectTypes[0]],
        }),
        "project",
      );
      return { params: { id: p.id } };
    }
    case "deleteBlueprint":
    case "updateBlueprint": {
      const slug = `victim-blueprint-${n}`;
      await json(
        await api("POST", "/api/blueprints", {
          slug,
          name: slug,
          kind: "node",
          type: "Team",
          enabled: false,
          schema: { type: "object", properties: { cost_centre: { type: "string" } } },
        }),
        slug,
      );
      return { params: { type: "Team", slug } };
    }
    case "deleteScoringPolicy": {
      const slug = `victim-policy-${n}`;
      await json(
        await api("POST", "/api/scoring/policies", {
          slug,
          name: slug,
          category: "presence",
          attribute_name: "description",
          enabled: false,
        }),
        slug,
      );
      return { params: { slug } };
    }
    case "deleteOperationEntry": {
      const e = await json<{ id: string }>(
        await api("POST", "/api/operations-log", {
          project_id: c.projects[0]?.id,
          environment_slug: c.environments[0],
          entry_type: "Deployed",
          description: "victim",
        }),
        "entry",
      );
      return { params: { id: e.id } };
    }
    case "deleteServiceAccount":
    case "updateServiceAccount":
    case "addServiceAccountMembership":
    case "updateServiceAccountMembership":
    case "deleteServiceAccountMembership":
    case "revokeClientCredential":
    case "rotateClientCredential":
    case "revokeServiceAccountKey": {
      const sa = await seedServiceAccount(api, `victim-sa-${n}`, c.org);
      // addServiceAccountMembership needs an organization the account is not in yet.
      if (opId === "addServiceAccountMembership")
        await api("DELETE", `/api/service-accounts/${sa.slug}/organizations/${c.org}`);
      return { params: { slug: sa.slug, org: c.org, client_id: sa.clientId, kid: sa.kid } };
    }
    case "revokeApiKey":
    case "rotateApiKey": {
      const k = await json<{ key_id: string }>(
        await api("POST", "/api/api-keys", { name: `victim-${n}` }),
        "key",
      );
      return { params: { key_id: k.key_id } };
    }
    case "revokeServiceAccountApiKey":
    case "rotateServiceAccountApiKey": {
      const slug = c.serviceAccount.slug;
      const k = await json<{ key_id: string }>(
        await api("POST", `/api/service-accounts/${slug}/api-keys`, { name: `victim-${n}` }),
        "key",
      );
      return { params: { slug, key_id: k.key_id } };
    }
    case "logout":
    case "refreshToken": {
      // A user of its own: revoke_all_sessions must not end a concurrent attempt's session.
      const s = await issueSession(app.services, await user(), { ip: "127.0.0.1", userAgent: "fuzz" });
      return { params: {}, token: s.access_token, body: { refresh_token: s.refresh_token } };
    }
    default:
      return undefined;
  }
}

/** Credentials the login operation may use (a user whose sessions are all throwaway). */
export const LOGIN = { email: "login@fuzz.test", password: PASSWORD } as const;
