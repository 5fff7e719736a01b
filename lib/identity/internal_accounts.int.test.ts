// imbi setup's internal service accounts: made once with their roles, credentials that work at the
// token endpoint and as a bearer key, generated secrets returned once, pinned ones re-asserted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { DomainError } from "../errors.ts";
import { seedInternalAccounts } from "./internal_accounts.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_AUTH_RATE_LIMIT_TOKEN: "1000/minute" } });
});
afterAll(() => app?.stop());

const SYSTEM_ORG = "default";

async function clientToken(clientId: string, secret: string): Promise<Response> {
  return app.request("/api/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
    }),
  });
}

async function whoami(bearer: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.json("GET", "/api/auth/whoami", undefined, bearer);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("seedInternalAccounts", () => {
  it("makes both accounts with their roles and working credentials, and shows generated secrets once", async () => {
    const [scheduler, gateway] = await seedInternalAccounts(app.services, {}, SYSTEM_ORG);
    expect(scheduler).toMatchObject({ slug: "imbi-scheduler", created: true, credential: "generated" });
    expect(gateway).toMatchObject({ slug: "imbi-gateway", created: true, credential: "generated" });

    const issued = await clientToken(scheduler?.credentialId as string, scheduler?.secret as string);
    expect(issued.status).toBe(200);
    const { access_token } = (await issued.json()) as { access_token: string };
    const me = await whoami(access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      kind: "service_account",
      id: "imbi-scheduler",
      auth_method: "client_credentials",
    });

    const gw = await whoami(gateway?.secret as string);
    expect(gw.status).toBe(200);
    expect(gw.body).toMatchObject({ kind: "service_account", id: "imbi-gateway", auth_method: "api_key" });
    // The user profile is not a service account's: a 404 that names the route that is.
    const profile = await app.json("GET", "/api/users/me", undefined, gateway?.secret as string);
    expect(profile.status).toBe(404);
    expect(((await profile.json()) as { detail: string }).detail).toContain("/api/auth/whoami");
    const orgs = gw.body.organizations as { slug: string; role: string; permissions: string[] }[];
    const there = orgs.find((o) => o.slug === SYSTEM_ORG);
    expect(there?.role).toBe("imbi-gateway");
    expect(new Set(there?.permissions)).toEqual(
      new Set([
        "project:read",
        "project:write",
        "project:deployment:read",
        "project:deployment:write",
        "operations_log:create",
        "user:read",
      ]),
    );

    // A second run changes nothing and reveals nothing.
    const again = await seedInternalAccounts(app.services, {}, SYSTEM_ORG);
    expect(again.map((a) => [a.created, a.credential, a.secret])).toEqual([
      [false, "existing", null],
      [false, "existing", null],
    ]);
    expect(again.map((a) => a.credentialId)).toEqual([scheduler?.credentialId, gateway?.credentialId]);
    expect((await whoami(gateway?.secret as string)).status).toBe(200);
  });

  it("re-asserts pinned credentials on every run, even after they were revoked through the API", async () => {
    const pinned = {
      schedulerClientId: "cc_pinned-scheduler-1",
      schedulerClientSecret: "s".repeat(40),
      gatewayApiKey: `ik_${"ab".repeat(16)}_${"K".repeat(43)}`,
    };
    const [scheduler, gateway] = await seedInternalAccounts(app.services, pinned, SYSTEM_ORG);
    expect([scheduler?.credential, scheduler?.secret, gateway?.credential, gateway?.secret]).toEqual([
      "environment",
      null,
      "environment",
      null,
    ]);
    expect((await clientToken(pinned.schedulerClientId, pinned.schedulerClientSecret)).status).toBe(200);
    expect((await whoami(pinned.gatewayApiKey)).status).toBe(200);

    const keyId = pinned.gatewayApiKey.slice(0, 35);
    const revoke = await app.json(
      "DELETE",
      `/api/service-accounts/imbi-gateway/api-keys/${keyId}`,
      undefined,
      app.adminToken,
    );
    expect(revoke.status).toBe(204);
    expect((await whoami(pinned.gatewayApiKey)).status).toBe(401);

    await seedInternalAccounts(app.services, pinned, SYSTEM_ORG);
    expect((await whoami(pinned.gatewayApiKey)).status).toBe(200);
  });

  it("refuses malformed pinned credentials before writing anything", async () => {
    for (const bad of [
      { schedulerClientId: "cc_only-the-id" },
      { schedulerClientId: "not-a-client-id", schedulerClientSecret: "s".repeat(40) },
      { schedulerClientId: "cc_short-secret", schedulerClientSecret: "short" },
      { gatewayApiKey: "ik_not_a_key" },
    ])
      await expect(seedInternalAccounts(app.services, bad, SYSTEM_ORG)).rejects.toBeInstanceOf(DomainError);
  });
});
