// Every token type must carry and honour its lifetime (issue 8, item 4): access JWTs that are
// correctly signed but lack a claim Imbi issues are refused, and opaque refresh tokens and
// sessions stop working when they expire.
import { base64url, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemSchema } from "../../lib/http/problem.ts";
import { ADMIN, startTestApp, type TestApp } from "../../test/harness/app.ts";
import { TokenResponseSchema } from "./schemas.ts";

let app: TestApp;
let sessionId = "";
beforeAll(async () => {
  app = await startTestApp();
  const res = await app.json("POST", "/api/auth/login", { email: ADMIN.email, password: ADMIN.password });
  sessionId = TokenResponseSchema.parse(await res.json()).session_id;
});
afterAll(() => app?.stop());

const now = () => Math.floor(Date.now() / 1000);

/** The claims Imbi issues, for a live session; tests drop or change one. */
const claims = (): Record<string, unknown> => ({
  iss: "imbi",
  aud: "imbi-api",
  sub: ADMIN.email,
  sid: sessionId,
  jti: "jti-under-test",
  iat: now(),
  exp: now() + 600,
});

/** Signs with the deployment's own secret: only the claim under test is wrong. */
function sign(
  payload: Record<string, unknown>,
  header: { alg: string; typ?: string } = { alg: "HS256", typ: "at+jwt" },
) {
  return new SignJWT(payload).setProtectedHeader(header).sign(app.services.jwtKey);
}

function without(claim: string): Record<string, unknown> {
  const c = claims();
  delete c[claim];
  return c;
}

async function me(token: string): Promise<Response> {
  return app.json("GET", "/api/users/me", undefined, token);
}

async function expectRejected(token: string, detailPart: string): Promise<void> {
  const res = await me(token);
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.headers.get("www-authenticate")).toContain("Bearer");
  const body = ProblemSchema.parse(await res.json());
  expect(body.code).toBe("UNAUTHENTICATED");
  expect(body.detail).toContain(detailPart);
}

describe("access-token verification", () => {
  it("accepts a token with every claim (the baseline the other cases change one thing of)", async () => {
    expect((await me(await sign(claims()))).status).toBe(200);
  });

  it.each(["exp", "iat", "sub", "sid", "jti", "iss", "aud"])(
    "refuses a correctly signed token without %s",
    async (claim) => {
      await expectRejected(await sign(without(claim)), `"${claim}"`);
    },
  );

  it("refuses an empty or non-string sub or sid", async () => {
    await expectRejected(await sign({ ...claims(), sub: "" }), '"sub" claim must be a non-empty string');
    await expectRejected(await sign({ ...claims(), sid: 42 }), '"sid" claim must be a non-empty string');
  });

  it("refuses an iat in the future", async () => {
    await expectRejected(await sign({ ...claims(), iat: now() + 3600, exp: now() + 7200 }), '"iat"');
  });

  it("refuses a token older than the configured lifetime, whatever its exp says", async () => {
    await expectRejected(
      await sign({ ...claims(), iat: now() - 7200, exp: now() + 10 * 365 * 86400 }),
      "expired",
    );
  });

  it("refuses an expired token", async () => {
    await expectRejected(await sign({ ...claims(), iat: now() - 600, exp: now() - 60 }), "expired");
  });

  it("refuses another typ (a JWT of another kind signed with the same secret)", async () => {
    await expectRejected(await sign(claims(), { alg: "HS256", typ: "JWT" }), '"typ"');
    await expectRejected(await sign(claims(), { alg: "HS256" }), '"typ"');
  });

  it("refuses another algorithm, and alg none", async () => {
    await expectRejected(await sign(claims(), { alg: "HS512", typ: "at+jwt" }), "must be signed with HS256");
    const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
    await expectRejected(`${enc({ alg: "none", typ: "at+jwt" })}.${enc(claims())}.`, "HS256");
  });

  it("refuses a token whose signature does not verify", async () => {
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .sign(new TextEncoder().encode("another-secret-another-secret-another-0"));
    await expectRejected(forged, "signature");
  });
});

describe("refresh tokens and sessions expire", () => {
  async function session() {
    const res = await app.json("POST", "/api/auth/login", { email: ADMIN.email, password: ADMIN.password });
    return TokenResponseSchema.parse(await res.json());
  }

  it("refuses a refresh token past its expiry", async () => {
    const t = await session();
    const id = t.refresh_token.split(".")[0] ?? "";
    await app.db.sql`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = ${id}`;
    const res = await app.json("POST", "/api/auth/token/refresh", { refresh_token: t.refresh_token });
    expect(res.status).toBe(401);
    expect(ProblemSchema.parse(await res.json()).code).toBe("INVALID_CREDENTIALS");
  });

  it("an expired session ends its refresh and access tokens", async () => {
    const t = await session();
    await app.db
      .sql`UPDATE session_families SET expires_at = now() - interval '1 second' WHERE id = ${t.session_id}`;
    const refreshed = await app.json("POST", "/api/auth/token/refresh", { refresh_token: t.refresh_token });
    expect(refreshed.status).toBe(401);
    await expectRejected(t.access_token, "session has expired");
  });
});
