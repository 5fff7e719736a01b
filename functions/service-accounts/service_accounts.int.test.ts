import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem } from "../../test/harness/http.ts";
import {
  ClientCredentialListSchema,
  ClientCredentialWithSecretSchema,
  RoleServiceAccountPageSchema,
  ServiceAccountDetailSchema,
  ServiceAccountKeySchema,
  ServiceAccountMembershipSchema,
  ServiceAccountPageSchema,
} from "./schemas.ts";

let app: TestApp;
let reader: string;
let orgAdmin: string;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("alpha");
  // The system organization grants global permissions (ADR 0009): a developer there cannot manage accounts.
  reader = (await app.user("reader@imbi.test", [{ org: "alpha", role: "readonly" }])).token;
  orgAdmin = (await app.user("boss@imbi.test", [{ org: "alpha", role: "admin" }])).token;
});
afterAll(() => app?.stop());

const api = (method: string, path: string, body?: unknown, token = app.adminToken) =>
  app.json(method, path, body, token);
const create = (slug: string, token?: string) =>
  api(
    "POST",
    "/api/service-accounts",
    { slug, display_name: slug.toUpperCase(), description: "test" },
    token,
  );

describe("service account CRUD", () => {
  it("creates, gets, lists, patches and deletes", async () => {
    const res = await create("ci-one");
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/service-accounts/ci-one");
    expect(ServiceAccountDetailSchema.parse(await res.json())).toMatchObject({
      slug: "ci-one",
      is_active: true,
    });
    await expectProblem(await create("ci-one"), 409);
    await create("ci-two");

    const got = await api("GET", "/api/service-accounts/ci-one");
    expect(got.status).toBe(200);
    const etag = got.headers.get("etag") ?? "";

    const page1 = ServiceAccountPageSchema.parse(
      await (await api("GET", "/api/service-accounts?limit=1")).json(),
    );
    expect(page1.data.map((a) => a.slug)).toEqual(["ci-one"]);
    const page2 = ServiceAccountPageSchema.parse(
      await (await api("GET", `/api/service-accounts?limit=1&cursor=${page1.next_cursor}`)).json(),
    );
    expect(page2.data.map((a) => a.slug)).toEqual(["ci-two"]);

    const patch = (ops: unknown, h: Record<string, string> = {}) =>
      app.request("/api/service-accounts/ci-one", {
        method: "PATCH",
        headers: {
          "Content-Type": "application/json-patch+json",
          Authorization: `Bearer ${app.adminToken}`,
          ...h,
        },
        body: JSON.stringify(ops),
      });
    const ok = await patch([{ op: "replace", path: "/display_name", value: "CI One" }], { "If-Match": etag });
    expect(ok.status).toBe(200);
    expect((await ok.json()).display_name).toBe("CI One");
    await expectProblem(
      await patch([{ op: "replace", path: "/description", value: "x" }], { "If-Match": etag }),
      412,
    );
    await expectProblem(await patch([{ op: "replace", path: "/slug", value: "renamed" }]), 400);
    // Service accounts are never administrators: there is no such field to set.
    await expectProblem(await patch([{ op: "add", path: "/is_admin", value: true }]), 400);

    expect((await api("DELETE", "/api/service-accounts/ci-two")).status).toBe(204);
    await expectProblem(await api("GET", "/api/service-accounts/ci-two"), 404);
    await app.drain();
    const rows = (await app.analytics.listAudit({ event: "service_account_created", limit: 10 })).data;
    expect(rows.map((r) => r.subject)).toContain("ci-one");
  });

  it("needs the permission globally: an organization admin outside the system organization is refused", async () => {
    await expectProblem(await create("nope", orgAdmin), 403);
    await expectProblem(await api("GET", "/api/service-accounts", undefined, reader), 403);
    await expectProblem(await app.json("GET", "/api/service-accounts"), 401);
  });
});

describe("memberships", () => {
  it("adds, changes and removes, and lists accounts by role", async () => {
    await create("ci-member");
    const add = await api("POST", "/api/service-accounts/ci-member/organizations", {
      organization: "alpha",
      role: "developer",
    });
    expect(add.status).toBe(201);
    expect(ServiceAccountMembershipSchema.parse(await add.json())).toMatchObject({
      organization: "alpha",
      role: "developer",
    });
    await expectProblem(
      await api("POST", "/api/service-accounts/ci-member/organizations", {
        organization: "alpha",
        role: "default",
      }),
      409,
    );
    await expectProblem(
      await api("POST", "/api/service-accounts/ci-member/organizations", {
        organization: "alpha",
        role: "emperor",
      }),
      400,
    );
    const byRole = RoleServiceAccountPageSchema.parse(
      await (await api("GET", "/api/roles/developer/service-accounts", undefined, reader)).json(),
    );
    expect(byRole.data).toEqual([expect.objectContaining({ slug: "ci-member", organization: "alpha" })]);
    await expectProblem(await api("GET", "/api/roles/emperor/service-accounts"), 404);

    const patched = await app.request("/api/service-accounts/ci-member/organizations/alpha", {
      method: "PATCH",
      headers: { "Content-Type": "application/json-patch+json", Authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify([{ op: "replace", path: "/role", value: "readonly" }]),
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).role).toBe("readonly");
    const detail = ServiceAccountDetailSchema.parse(
      await (await api("GET", "/api/service-accounts/ci-member")).json(),
    );
    expect(detail.organizations).toEqual([{ slug: "alpha", name: "ALPHA", role: "readonly" }]);
    expect((await api("DELETE", "/api/service-accounts/ci-member/organizations/alpha")).status).toBe(204);
    await expectProblem(await api("DELETE", "/api/service-accounts/ci-member/organizations/alpha"), 404);
  });

  it("refuses to hand out a role granting what the caller does not hold there", async () => {
    // A global service_account:update holder limited to it: a custom role in the system organization.
    const role = await api("POST", "/api/roles", {
      slug: "sa-manager",
      name: "SA manager",
      permissions: ["service_account:update", "service_account:read"],
    });
    expect(role.status).toBe(201);
    const env = app.services.env.IMBI_SYSTEM_ORGANIZATION;
    const mgr = await app.user("mgr@imbi.test", [
      { org: env, role: "sa-manager" },
      { org: "alpha", role: "readonly" },
    ]);
    await create("ci-escalate");
    await expectProblem(
      await api(
        "POST",
        "/api/service-accounts/ci-escalate/organizations",
        { organization: "alpha", role: "admin" },
        mgr.token,
      ),
      403,
    );
    const ok = await api(
      "POST",
      "/api/service-accounts/ci-escalate/organizations",
      { organization: "alpha", role: "readonly" },
      mgr.token,
    );
    expect(ok.status).toBe(201);
  });
});

describe("client credentials and keys", () => {
  it("creates (secret once), lists without secrets, rotates and revokes", async () => {
    await create("ci-creds");
    const res = await api("POST", "/api/service-accounts/ci-creds/client-credentials", {
      name: "deploy",
      scopes: ["project:read"],
      expires_in_days: 30,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const cred = ClientCredentialWithSecretSchema.parse(await res.json());
    expect(cred.client_id).toMatch(/^cc_[0-9a-z]{22}$/);
    expect(cred.client_secret).toHaveLength(43);
    const list = await (await api("GET", "/api/service-accounts/ci-creds/client-credentials")).text();
    expect(list).not.toContain(cred.client_secret);
    expect(ClientCredentialListSchema.parse(JSON.parse(list)).data).toHaveLength(1);

    const rotated = ClientCredentialWithSecretSchema.parse(
      await (
        await api("POST", `/api/service-accounts/ci-creds/client-credentials/${cred.client_id}/rotate`)
      ).json(),
    );
    expect(rotated.client_id).toBe(cred.client_id);
    expect(rotated.client_secret).not.toBe(cred.client_secret);
    expect(rotated.rotated_at).not.toBeNull();

    expect(
      (await api("DELETE", `/api/service-accounts/ci-creds/client-credentials/${cred.client_id}`)).status,
    ).toBe(204);
    await expectProblem(
      await api("DELETE", `/api/service-accounts/ci-creds/client-credentials/${cred.client_id}`),
      404,
    );
    await expectProblem(
      await api("POST", `/api/service-accounts/ci-creds/client-credentials/${cred.client_id}/rotate`),
      404,
    );
  });

  it.each([
    ["an unknown scope", { name: "x", scopes: ["project:destroy"] }],
    ["a lifetime beyond the maximum", { name: "x", expires_in_days: 366 }],
    ["an unknown organization", { name: "x", organizations: ["nowhere"] }],
  ])("refuses %s", async (_, body) => {
    await create(`ci-bad-${Math.random().toString(36).slice(2, 8)}`).then(async (r) => {
      const slug = (await r.json()).slug;
      await expectProblem(await api("POST", `/api/service-accounts/${slug}/client-credentials`, body), 400);
    });
  });

  it("registers Ed25519 and P-256 public keys, refuses private keys, other kinds and duplicates, revokes", async () => {
    await create("ci-keys");
    const path = "/api/service-accounts/ci-keys/keys";
    const ed = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const edPub = await exportJWK(ed.publicKey);
    const res = await api("POST", path, { name: "ed", jwk: edPub });
    expect(res.status).toBe(201);
    const key = ServiceAccountKeySchema.parse(await res.json());
    expect(key.alg).toBe("EdDSA");
    expect(key.jwk).not.toHaveProperty("d");
    await expectProblem(await api("POST", path, { name: "again", jwk: edPub }), 409);

    const ec = await generateKeyPair("ES256", { extractable: true });
    expect((await api("POST", path, { name: "ec", jwk: await exportJWK(ec.publicKey) })).status).toBe(201);

    await expectProblem(await api("POST", path, { name: "priv", jwk: await exportJWK(ed.privateKey) }), 400);
    const rsa = await generateKeyPair("RS256", { extractable: true });
    await expectProblem(await api("POST", path, { name: "rsa", jwk: await exportJWK(rsa.publicKey) }), 400);
    await expectProblem(await api("POST", path, { name: "alg", jwk: { ...edPub, alg: "ES256" } }), 400);
    await expectProblem(await api("POST", path, { name: "hs", jwk: { kty: "oct", k: "c2VjcmV0" } }), 400);
    await expectProblem(await api("POST", path, { name: "bad", jwk: { ...edPub, x: "AAAA" } }), 400);

    const listed = await (await api("GET", path)).json();
    expect(listed.data).toHaveLength(2);
    expect((await api("DELETE", `${path}/${key.kid}`)).status).toBe(204);
    await expectProblem(await api("DELETE", `${path}/${key.kid}`), 404);
  });

  it("deleting an account deletes its credentials and keys", async () => {
    await create("ci-gone");
    await api("POST", "/api/service-accounts/ci-gone/client-credentials", { name: "x" });
    const ed = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    await api("POST", "/api/service-accounts/ci-gone/keys", {
      name: "k",
      jwk: await exportJWK(ed.publicKey),
    });
    expect((await api("DELETE", "/api/service-accounts/ci-gone")).status).toBe(204);
    const left = await app.db.sql`
      SELECT (SELECT count(*) FROM client_credentials WHERE service_account = 'ci-gone')::int AS c,
             (SELECT count(*) FROM service_account_keys WHERE service_account = 'ci-gone')::int AS k`;
    expect(left[0]).toEqual({ c: 0, k: 0 });
  });
});
