import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClientCredential } from "../../lib/identity/service_account_credentials.ts";
import { addServiceAccountMembership, createServiceAccount } from "../../lib/identity/service_accounts.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { OAuthErrorSchema, OAuthTokenResponseSchema, WhoAmISchema } from "./schemas.ts";

const ENDPOINT = "http://localhost/api/auth/token";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_AUTH_RATE_LIMIT_TOKEN: "1000/minute" } });
  await app.org("alpha");
  await app.json("POST", "/api/organizations/alpha/teams", { slug: "core", name: "Core" }, app.adminToken);
  const type = await app.json(
    "POST",
    "/api/organizations/alpha/project-types",
    { slug: "api", name: "API" },
    app.adminToken,
  );
  expect(type.status).toBe(201);
});
afterAll(() => app?.stop());

/** A service account in alpha with `role`, and a client credential (optionally scoped). */
async function account(slug: string, role = "developer", scopes: string[] = []) {
  await createServiceAccount(app.db.graph, { slug, display_name: slug });
  await addServiceAccountMembership(app.db.graph, slug, "alpha", role);
  return createClientCredential(app.services, {
    serviceAccount: slug,
    name: "test",
    scopes,
    organizations: [],
    expiresAt: new Date(Date.now() + 86_400_000),
  });
}

const form = (params: Record<string, string>, headers: Record<string, string> = {}, peer?: string) =>
  app.request(
    "/api/auth/token",
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(params).toString(),
    },
    peer,
  );
const basic = (id: string, secret: string) =>
  `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`;

async function expectOAuthError(res: Response, status: number, error: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(OAuthErrorSchema.parse(JSON.parse(text)).error).toBe(error);
}

async function token(res: Response) {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = OAuthTokenResponseSchema.parse(JSON.parse(text));
  expect(body).not.toHaveProperty("refresh_token");
  return body;
}

const whoami = async (t: string) =>
  WhoAmISchema.parse(await (await app.json("GET", "/api/auth/whoami", undefined, t)).json());
const createProject = (t: string, slug: string) =>
  app.json(
    "POST",
    "/api/organizations/alpha/projects",
    { slug, name: slug, team: "core", project_types: ["api"] },
    t,
  );

describe("client_secret_basic and client_secret_post", () => {
  it("issues a bearer token the account can call the API with, and whoami says who it is", async () => {
    const cred = await account("ci-basic");
    const viaBasic = await token(
      await form(
        { grant_type: "client_credentials" },
        { Authorization: basic(cred.client_id, cred.client_secret) },
      ),
    );
    expect(viaBasic.token_type).toBe("Bearer");
    expect(viaBasic.scope).toBeUndefined();
    const me = await whoami(viaBasic.access_token);
    expect(me).toMatchObject({
      kind: "service_account",
      id: "ci-basic",
      auth_method: "client_credentials",
      credential_id: cred.client_id,
      is_admin: false,
      scopes: null,
    });
    expect(me.organizations[0]).toMatchObject({ slug: "alpha", role: "developer" });
    expect(me.organizations[0]?.permissions).toContain("project:write");

    const viaPost = await token(
      await form({
        grant_type: "client_credentials",
        client_id: cred.client_id,
        client_secret: cred.client_secret,
      }),
    );
    expect(
      (await app.json("GET", "/api/organizations/alpha/teams", undefined, viaPost.access_token)).status,
    ).toBe(200);

    await app.drain();
    const issued = (await app.analytics.listAudit({ event: "token_issued", actor: "ci-basic", limit: 10 }))
      .data;
    expect(issued).toHaveLength(2);
    expect(issued[0]).toMatchObject({
      actor_kind: "service_account",
      credential: `client_credentials:${cred.client_id}`,
      details: { auth_method: "client_credentials" },
    });
    const [row] = await app.db
      .sql`SELECT last_used_at FROM client_credentials WHERE client_id = ${cred.client_id}`;
    expect(row?.last_used_at).not.toBeNull();
  });

  it("answers one 401 invalid_client for a wrong secret, an unknown client, and missing credentials", async () => {
    const cred = await account("ci-wrong");
    const wrong = await form(
      { grant_type: "client_credentials" },
      { Authorization: basic(cred.client_id, "nope") },
    );
    await expectOAuthError(wrong, 401, "invalid_client");
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic /);
    await expectOAuthError(
      await form({ grant_type: "client_credentials", client_id: "cc_doesnotexist", client_secret: "x" }),
      401,
      "invalid_client",
    );
    await expectOAuthError(await form({ grant_type: "client_credentials" }), 401, "invalid_client");
    await expectOAuthError(
      await form(
        { grant_type: "client_credentials", client_id: cred.client_id, client_secret: cred.client_secret },
        { Authorization: basic(cred.client_id, cred.client_secret) },
      ),
      400,
      "invalid_request",
    );
    await app.drain();
    const failed = (await app.analytics.listAudit({ event: "client_authentication_failed", limit: 20 })).data;
    expect(failed.find((r) => r.actor === cred.client_id)?.details).toMatchObject({ reason: "bad_secret" });
  });

  it("refuses a revoked or expired credential and an inactive account; revocation ends issued tokens at once", async () => {
    const cred = await account("ci-revoked");
    const t = await token(
      await form({
        grant_type: "client_credentials",
        client_id: cred.client_id,
        client_secret: cred.client_secret,
      }),
    );
    expect((await app.json("GET", "/api/auth/whoami", undefined, t.access_token)).status).toBe(200);
    const del = await app.json(
      "DELETE",
      `/api/service-accounts/ci-revoked/client-credentials/${cred.client_id}`,
      undefined,
      app.adminToken,
    );
    expect(del.status).toBe(204);
    await expectProblem(await app.json("GET", "/api/auth/whoami", undefined, t.access_token), 401);
    await expectOAuthError(
      await form({
        grant_type: "client_credentials",
        client_id: cred.client_id,
        client_secret: cred.client_secret,
      }),
      401,
      "invalid_client",
    );

    const exp = await account("ci-expired");
    await app.db
      .sql`UPDATE client_credentials SET expires_at = now() - interval '1 second' WHERE client_id = ${exp.client_id}`;
    await expectOAuthError(
      await form({
        grant_type: "client_credentials",
        client_id: exp.client_id,
        client_secret: exp.client_secret,
      }),
      401,
      "invalid_client",
    );

    const inactive = await account("ci-inactive");
    const before = await token(
      await form({
        grant_type: "client_credentials",
        client_id: inactive.client_id,
        client_secret: inactive.client_secret,
      }),
    );
    const patch = await app.request("/api/service-accounts/ci-inactive", {
      method: "PATCH",
      headers: { "Content-Type": "application/json-patch+json", Authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify([{ op: "replace", path: "/is_active", value: false }]),
    });
    expect(patch.status).toBe(200);
    await expectProblem(await app.json("GET", "/api/auth/whoami", undefined, before.access_token), 401);
    await expectOAuthError(
      await form({
        grant_type: "client_credentials",
        client_id: inactive.client_id,
        client_secret: inactive.client_secret,
      }),
      401,
      "invalid_client",
    );
  });

  it("a rotation ends the old secret and the tokens issued before it", async () => {
    const cred = await account("ci-rotate");
    const t = await token(
      await form({
        grant_type: "client_credentials",
        client_id: cred.client_id,
        client_secret: cred.client_secret,
      }),
    );
    const rotated = await app.json(
      "POST",
      `/api/service-accounts/ci-rotate/client-credentials/${cred.client_id}/rotate`,
      undefined,
      app.adminToken,
    );
    const { client_secret } = await rotated.json();
    await expectProblem(await app.json("GET", "/api/auth/whoami", undefined, t.access_token), 401);
    await expectOAuthError(
      await form({
        grant_type: "client_credentials",
        client_id: cred.client_id,
        client_secret: cred.client_secret,
      }),
      401,
      "invalid_client",
    );
    await token(await form({ grant_type: "client_credentials", client_id: cred.client_id, client_secret }));
  });
});

describe("scope", () => {
  it("grants requested ∩ credential scopes, and enforces the granted scope on later requests", async () => {
    const cred = await account("ci-scoped", "developer", ["project:read", "team:read"]);
    const auth = {
      client_id: cred.client_id,
      client_secret: cred.client_secret,
      grant_type: "client_credentials",
    };
    const narrow = await token(await form({ ...auth, scope: "project:read project:write" }));
    expect(narrow.scope).toBe("project:read");
    expect((await whoami(narrow.access_token)).organizations[0]?.permissions).toEqual(["project:read"]);
    // The account's role allows writing projects; the token's scope does not.
    await expectProblem(await createProject(narrow.access_token, "scoped-write"), 403);
    expect(
      (await app.json("GET", "/api/organizations/alpha/projects", undefined, narrow.access_token)).status,
    ).toBe(200);
    // No scope requested: the credential's scopes apply.
    expect((await token(await form(auth))).scope).toBe("project:read team:read");
    // Beyond the credential entirely, unknown, or empty: invalid_scope.
    await expectOAuthError(await form({ ...auth, scope: "project:write" }), 400, "invalid_scope");
    await expectOAuthError(await form({ ...auth, scope: "project:destroy" }), 400, "invalid_scope");
    await expectOAuthError(await form({ ...auth, scope: " " }), 400, "invalid_scope");
  });

  it("an unscoped credential with a requested scope gets exactly that scope", async () => {
    const cred = await account("ci-unscoped");
    const t = await token(
      await form({
        grant_type: "client_credentials",
        client_id: cred.client_id,
        client_secret: cred.client_secret,
        scope: "project:read",
      }),
    );
    await expectProblem(await createProject(t.access_token, "unscoped-write"), 403);
    const full = await token(
      await form({
        grant_type: "client_credentials",
        client_id: cred.client_id,
        client_secret: cred.client_secret,
      }),
    );
    expect((await createProject(full.access_token, "unscoped-write")).status).toBe(201);
  });
});

describe("private_key_jwt", () => {
  async function keyAccount(slug: string, alg: "EdDSA" | "ES256" = "EdDSA") {
    await createServiceAccount(app.db.graph, { slug, display_name: slug });
    await addServiceAccountMembership(app.db.graph, slug, "alpha", "developer");
    const pair =
      alg === "EdDSA"
        ? await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true })
        : await generateKeyPair("ES256", { extractable: true });
    const res = await app.json(
      "POST",
      `/api/service-accounts/${slug}/keys`,
      { name: "k", jwk: await exportJWK(pair.publicKey) },
      app.adminToken,
    );
    expect(res.status).toBe(201);
    const { kid, jwk } = (await res.json()) as { kid: string; jwk: JWK };
    return { slug, kid, jwk, privateKey: pair.privateKey, alg };
  }
  type KeyAccount = Awaited<ReturnType<typeof keyAccount>>;

  const assertion = (k: KeyAccount, o: { aud?: string; exp?: number; jti?: string; iss?: string } = {}) =>
    new SignJWT({})
      .setProtectedHeader({ alg: k.alg, kid: k.kid })
      .setIssuer(o.iss ?? k.slug)
      .setSubject(o.iss ?? k.slug)
      .setAudience(o.aud ?? ENDPOINT)
      .setIssuedAt()
      .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 120)
      .setJti(o.jti ?? crypto.randomUUID())
      .sign(k.privateKey);
  const withAssertion = (jwt: string) =>
    form({ grant_type: "client_credentials", client_assertion_type: JWT_BEARER, client_assertion: jwt });

  it.each(["EdDSA", "ES256"] as const)("issues a token for a %s assertion", async (alg) => {
    const k = await keyAccount(`ci-pk-${alg.toLowerCase()}`, alg);
    const t = await token(await withAssertion(await assertion(k)));
    expect(await whoami(t.access_token)).toMatchObject({
      kind: "service_account",
      id: k.slug,
      auth_method: "private_key_jwt",
      credential_id: k.slug,
      key_id: k.kid,
    });
  });

  it("refuses a replayed jti, a wrong aud, an expired or too long assertion, and a wrong issuer", async () => {
    const k = await keyAccount("ci-pk-attacks");
    const once = await assertion(k);
    await token(await withAssertion(once));
    await expectOAuthError(await withAssertion(once), 401, "invalid_client");
    await expectOAuthError(
      await withAssertion(await assertion(k, { aud: "https://evil.example/token" })),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await withAssertion(await assertion(k, { exp: Math.floor(Date.now() / 1000) - 120 })),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await withAssertion(await assertion(k, { exp: Math.floor(Date.now() / 1000) + 3600 })),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await withAssertion(await assertion(k, { iss: "ci-basic" })),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await form({
        grant_type: "client_credentials",
        client_assertion_type: "urn:other",
        client_assertion: once,
      }),
      400,
      "invalid_request",
    );
    await app.drain();
    const failed = (
      await app.analytics.listAudit({ event: "client_authentication_failed", actor: k.slug, limit: 20 })
    ).data;
    expect(failed.map((r) => (r.details as { reason: string }).reason)).toContain("replay");
  });

  it("refuses alg none and HS256 signed with the public key as the secret", async () => {
    const k = await keyAccount("ci-pk-alg");
    const b64 = (o: unknown) =>
      btoa(JSON.stringify(o)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: k.slug, sub: k.slug, aud: ENDPOINT, exp: now + 60, jti: crypto.randomUUID() };
    const none = `${b64({ alg: "none", kid: k.kid })}.${b64(claims)}.`;
    await expectOAuthError(await withAssertion(none), 401, "invalid_client");
    // The classic confusion: HMAC keyed with the public key's bytes (as JSON and as x alone).
    for (const secret of [JSON.stringify(k.jwk), String(k.jwk.x)]) {
      const hs = await new SignJWT({ ...claims, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: "HS256", kid: k.kid })
        .sign(new TextEncoder().encode(secret));
      await expectOAuthError(await withAssertion(hs), 401, "invalid_client");
    }
  });

  it("a revoked key refuses assertions and ends the tokens issued with it", async () => {
    const k = await keyAccount("ci-pk-revoke");
    const t = await token(await withAssertion(await assertion(k)));
    const del = await app.json(
      "DELETE",
      `/api/service-accounts/${k.slug}/keys/${k.kid}`,
      undefined,
      app.adminToken,
    );
    expect(del.status).toBe(204);
    await expectProblem(await app.json("GET", "/api/auth/whoami", undefined, t.access_token), 401);
    await expectOAuthError(await withAssertion(await assertion(k)), 401, "invalid_client");
  });
});

describe("the endpoint", () => {
  it("answers unsupported_grant_type and invalid_request in RFC 6749 §5.2 JSON", async () => {
    await expectOAuthError(await form({ grant_type: "password" }), 400, "unsupported_grant_type");
    // Supported since issue 11 (OAuth public clients): without client_id it is a malformed request.
    await expectOAuthError(await form({ grant_type: "authorization_code" }), 400, "invalid_request");
    await expectOAuthError(await form({}), 400, "invalid_request");
    await expectOAuthError(
      await form({ grant_type: "client_credentials", client_secret: "x" }),
      400,
      "invalid_request",
    );
  });

  it("service accounts cannot log in with a password", async () => {
    await account("ci-login");
    await expectProblem(
      await app.json("POST", "/api/auth/login", {
        email: "ci-login@imbi.test",
        password: "whatever-Passw0rd",
      }),
      401,
    );
    // The login lookup matches User vertices only; a slug is no email either way.
    const rows = await app.db.graph.query("MATCH (u:User) WHERE u.email STARTS WITH 'ci-login' RETURN u");
    expect(rows).toHaveLength(0);
  });

  it("whoami describes a user's session too", async () => {
    const me = await whoami(app.adminToken);
    expect(me).toMatchObject({
      kind: "user",
      id: "admin@imbi.test",
      auth_method: "password",
      is_admin: true,
    });
  });
});

describe("rate limit", () => {
  it("limits brute force per client id (429 with Retry-After), whatever the address", async () => {
    const limited = await startTestApp({ env: { IMBI_AUTH_RATE_LIMIT_TOKEN: "3/minute" } });
    try {
      await createServiceAccount(limited.db.graph, { slug: "ci-brute", display_name: "x" });
      const cred = await createClientCredential(limited.services, {
        serviceAccount: "ci-brute",
        name: "x",
        scopes: [],
        organizations: [],
        expiresAt: null,
      });
      const attempt = (peer: string) =>
        limited.request(
          "/api/auth/token",
          {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              grant_type: "client_credentials",
              client_id: cred.client_id,
              client_secret: `guess-${peer}`,
            }).toString(),
          },
          peer,
        );
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt(`10.0.0.${i + 1}`)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const res = await attempt("10.0.0.9");
      await expectOAuthError(res, 429, "rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});
