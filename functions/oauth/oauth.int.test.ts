import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";

// The OAuth authorization server over HTTP, driven like a browser and an MCP client would: DCR,
// authorize → login form → consent form → redirect with code → token → API → refresh → reuse.

const REDIRECT = "http://127.0.0.1:33418/callback";
const ORIGIN = "http://localhost";
let app: TestApp;
let peer = 0;
beforeAll(async () => {
  app = await startTestApp({
    env: { IMBI_AUTH_RATE_LIMIT_TOKEN: "1000/minute", IMBI_AUTH_RATE_LIMIT_DCR: "1000/hour" },
  });
});
afterAll(() => app?.stop());

const b64url = (b: Buffer) => b.toString("base64url");
function pkce() {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash("sha256").update(verifier).digest()) };
}

/** A browser: keeps cookies, never follows redirects (the test reads them). */
class Browser {
  cookies = new Map<string, string>();
  readonly ip = `198.51.100.${++peer}`;
  async go(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await app.request(path, { ...init, headers, redirect: "manual" }, this.ip);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = (pair ?? "").indexOf("=");
      this.cookies.set((pair ?? "").slice(0, i), (pair ?? "").slice(i + 1));
    }
    return res;
  }
  post(path: string, form: Record<string, string>) {
    return this.go(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }
}

const field = (html: string, name: string) => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return (m?.[1] ?? "").replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#39;", "'");
};

async function register(
  body: Record<string, unknown> = { redirect_uris: [REDIRECT], client_name: "Test MCP client" },
) {
  return app.json("POST", "/api/auth/register", body);
}

async function newClient(): Promise<string> {
  const res = await register();
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "st-123",
    ...extra,
  });
  return `/api/auth/authorize?${q}`;
}

/** Runs the browser part of the flow; returns the code from the final redirect. */
async function signInAndConsent(b: Browser, url: string, user: { email: string; password: string }) {
  const first = await b.go(url);
  expect(first.status).toBe(200);
  let consentHtml = await first.text();
  expect(consentHtml).not.toMatch(/<script|https?:\/\/(?!127|localhost)/); // no scripts, no external assets
  if (consentHtml.includes("Sign in to Imbi")) {
    const afterLogin = await b.post("/api/auth/authorize/login", {
      q: field(consentHtml, "q"),
      csrf: field(consentHtml, "csrf"),
      email: user.email,
      password: user.password,
    });
    expect(afterLogin.status).toBe(303);
    const consent = await b.go(afterLogin.headers.get("location") ?? "");
    expect(consent.status).toBe(200);
    consentHtml = await consent.text();
  }
  expect(consentHtml).toContain("Test MCP client");
  expect(consentHtml).toContain("127.0.0.1:33418");
  const approved = await b.post("/api/auth/authorize/consent", {
    q: field(consentHtml, "q"),
    csrf: field(consentHtml, "csrf"),
    decision: "approve",
  });
  expect(approved.status).toBe(303);
  const location = new URL(approved.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get("state")).toBe("st-123");
  return location.searchParams.get("code") ?? "";
}

const token = (form: Record<string, string>) =>
  app.request(
    "/api/auth/token",
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    },
    "203.0.113.9",
  );

describe("discovery", () => {
  it("serves RFC 8414 and RFC 9728 metadata at the root", async () => {
    const as = (await (await app.request("/.well-known/oauth-authorization-server")).json()) as Record<
      string,
      unknown
    >;
    expect(as).toMatchObject({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/api/auth/authorize`,
      token_endpoint: `${ORIGIN}/api/auth/token`,
      registration_endpoint: `${ORIGIN}/api/auth/register`,
      code_challenge_methods_supported: ["S256"],
    });
    const pr = (await (await app.request("/.well-known/oauth-protected-resource/mcp")).json()) as Record<
      string,
      unknown
    >;
    expect(pr).toMatchObject({
      resource: `${ORIGIN}/mcp`,
      authorization_servers: [ORIGIN],
      bearer_methods_supported: ["header"],
    });
    const api = (await (await app.request("/.well-known/oauth-protected-resource/api")).json()) as Record<
      string,
      unknown
    >;
    expect(api.resource).toBe(`${ORIGIN}/api`);
  });

  it("names IMBI_API_URL, not an untrusted Host, as the issuer", async () => {
    const other = await startTestApp({ env: { IMBI_API_URL: "https://imbi.example.com/api" } });
    try {
      const res = await other.request("/.well-known/oauth-authorization-server", {
        headers: { host: "evil.example.net" },
      });
      const doc = (await res.json()) as Record<string, string>;
      expect(doc.issuer).toBe("https://imbi.example.com");
      expect(doc.token_endpoint).toBe("https://imbi.example.com/api/auth/token");
    } finally {
      await other.stop();
    }
  });
});

describe("the code flow", () => {
  it("signs in, consents, exchanges, calls the API, refreshes and detects reuse", async () => {
    const user = await app.user("flow@imbi.test", [], { password: "Flow-Passw0rd!x" });
    const clientId = await newClient();
    const { verifier, challenge } = pkce();
    const b = new Browser();
    expect(await (await b.go(authorizeUrl(clientId, challenge))).text()).toContain("Sign in to Imbi");
    const code = await signInAndConsent(
      b,
      authorizeUrl(clientId, challenge, { resource: `${ORIGIN}/api`, scope: "catalog:read" }),
      user,
    );

    const res = await token({
      grant_type: "authorization_code",
      client_id: clientId,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(res.status).toBe(200);
    const t = (await res.json()) as { access_token: string; refresh_token: string; scope: string };
    expect(t.scope).toBe("catalog:read");

    const me = await app.json("GET", "/api/auth/whoami", undefined, t.access_token);
    expect(me.status).toBe(200);
    const list = await app.json("GET", "/api/users/me/authorizations", undefined, user.token);
    expect(((await list.json()) as { data: { client_id: string }[] }).data.map((a) => a.client_id)).toEqual([
      clientId,
    ]);

    // Consent is remembered: the next authorization redirects at once.
    const again = await b.go(
      authorizeUrl(clientId, challenge, { resource: `${ORIGIN}/api`, scope: "catalog:read" }),
    );
    expect(again.status).toBe(302);
    expect(new URL(again.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();

    const refreshed = await token({
      grant_type: "refresh_token",
      client_id: clientId,
      refresh_token: t.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const t2 = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect((await app.json("GET", "/api/auth/whoami", undefined, t2.access_token)).status).toBe(200);

    const reuse = await token({
      grant_type: "refresh_token",
      client_id: clientId,
      refresh_token: t.refresh_token,
    });
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as { error: string }).error).toBe("invalid_grant");
    // The whole family is revoked: the newer tokens die too.
    expect((await app.json("GET", "/api/auth/whoami", undefined, t2.access_token)).status).toBe(401);
    expect(
      (await token({ grant_type: "refresh_token", client_id: clientId, refresh_token: t2.refresh_token }))
        .status,
    ).toBe(400);
  });
});

describe("signed in with the web app", () => {
  it("the app's session cookie signs the person in; an API key or another client's token in it does not", async () => {
    const user = await app.user("webapp@imbi.test", [], { password: "Webapp-Passw0rd!x" });
    const clientId = await newClient();
    const { challenge } = pkce();
    const url = authorizeUrl(clientId, challenge);
    // The sign-in form links to the web app's sign-in page, which brings the person back here.
    const form = await (await new Browser().go(url)).text();
    const link = /href="(\/login\?return_to=[^"]+)"/.exec(form)?.[1]?.replaceAll("&amp;", "&") ?? "";
    expect(new URL(link, ORIGIN).searchParams.get("return_to")).toBe(url);

    // The web app's login sets imbi_access; with it, the authorization page goes straight to consent.
    const login = await app.json("POST", "/api/auth/login", {
      email: user.email,
      password: "Webapp-Passw0rd!x",
    });
    const access = /imbi_access=([^;]+)/.exec(login.headers.getSetCookie().join("\n"))?.[1] ?? "";
    expect(access).not.toBe("");
    const b = new Browser();
    b.cookies.set("imbi_access", access);
    const consent = await (await b.go(url)).text();
    expect(consent).toContain("Authorize application");
    expect(consent).toContain(user.email);

    // An API key is not a person's session, even in that cookie.
    const key = await app.json("POST", "/api/api-keys", { name: "not-a-session" }, user.token);
    expect(key.status).toBe(201);
    const k = new Browser();
    k.cookies.set("imbi_access", ((await key.json()) as { key: string }).key);
    expect(await (await k.go(url)).text()).toContain("Sign in to Imbi");
  });
});

describe("attacks", () => {
  let user: { email: string; password: string; token: string };
  let clientId: string;
  let b: Browser;
  beforeAll(async () => {
    user = await app.user("attack@imbi.test", [], { password: "Attack-Passw0rd!x" });
    clientId = await newClient();
    b = new Browser();
    await signInAndConsent(b, authorizeUrl(clientId, pkce().challenge), user);
  });

  /** A code for `clientId` through the remembered consent. */
  async function code(challenge: string, extra: Record<string, string> = {}, client = clientId) {
    const res = await b.go(authorizeUrl(client, challenge, extra));
    expect(res.status).toBe(302);
    return new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
  }

  it("refuses PKCE plain or missing with a redirect carrying invalid_request", async () => {
    for (const extra of [{ code_challenge_method: "plain" }, { code_challenge_method: "" }]) {
      const res = await b.go(authorizeUrl(clientId, pkce().challenge, extra));
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get("location") ?? "");
      expect(loc.searchParams.get("error")).toBe("invalid_request");
      expect(loc.searchParams.get("state")).toBe("st-123");
    }
  });

  it("never redirects to an unregistered redirect_uri or for an unknown client", async () => {
    const evil = await b.go(
      authorizeUrl(clientId, pkce().challenge, { redirect_uri: "https://evil.example.net/cb" }),
    );
    expect(evil.status).toBe(400);
    expect(evil.headers.get("location")).toBeNull();
    const unknown = await b.go(authorizeUrl("oc_doesnotexist", pkce().challenge));
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("location")).toBeNull();
  });

  it("refuses a wrong verifier, another client, another redirect URI, and a reused code (revoking its tokens)", async () => {
    const p = pkce();
    const wrong = await token({
      grant_type: "authorization_code",
      client_id: clientId,
      code: await code(p.challenge),
      redirect_uri: REDIRECT,
      code_verifier: pkce().verifier,
    });
    expect(((await wrong.json()) as { error: string }).error).toBe("invalid_grant");

    const other = await newClient();
    const stolen = await token({
      grant_type: "authorization_code",
      client_id: other,
      code: await code(p.challenge),
      redirect_uri: REDIRECT,
      code_verifier: p.verifier,
    });
    expect(((await stolen.json()) as { error: string }).error).toBe("invalid_grant");

    const badRedirect = await token({
      grant_type: "authorization_code",
      client_id: clientId,
      code: await code(p.challenge),
      redirect_uri: "http://127.0.0.1:1/cb",
      code_verifier: p.verifier,
    });
    expect(((await badRedirect.json()) as { error: string }).error).toBe("invalid_grant");

    const c = await code(p.challenge, { resource: `${ORIGIN}/api` });
    const form = {
      grant_type: "authorization_code",
      client_id: clientId,
      code: c,
      redirect_uri: REDIRECT,
      code_verifier: p.verifier,
    };
    const first = await token(form);
    expect(first.status).toBe(200);
    const t = (await first.json()) as { access_token: string };
    expect((await app.json("GET", "/api/auth/whoami", undefined, t.access_token)).status).toBe(200);
    const replay = await token(form);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await app.json("GET", "/api/auth/whoami", undefined, t.access_token)).status).toBe(401);
  });

  it("refuses at the REST API a token issued for the MCP resource", async () => {
    const p = pkce();
    const res = await token({
      grant_type: "authorization_code",
      client_id: clientId,
      code: await code(p.challenge),
      redirect_uri: REDIRECT,
      code_verifier: p.verifier,
    });
    const t = (await res.json()) as { access_token: string };
    const call = await app.json("GET", "/api/auth/whoami", undefined, t.access_token);
    expect(call.status).toBe(401);
    expect(((await call.json()) as { detail: string }).detail).toContain("another resource");
  });

  it("refuses a resource that is not this server's", async () => {
    const res = await b.go(
      authorizeUrl(clientId, pkce().challenge, { resource: "https://evil.example.net/mcp" }),
    );
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_target");
  });

  it("ends tokens at once when the user revokes the authorization or an admin revokes the client", async () => {
    const p = pkce();
    const issue = async () => {
      const res = await token({
        grant_type: "authorization_code",
        client_id: clientId,
        code: await code(p.challenge, { resource: `${ORIGIN}/api` }),
        redirect_uri: REDIRECT,
        code_verifier: p.verifier,
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const t = await issue();
    expect(
      (await app.json("DELETE", `/api/users/me/authorizations/${clientId}`, undefined, user.token)).status,
    ).toBe(204);
    expect((await app.json("GET", "/api/auth/whoami", undefined, t)).status).toBe(401);

    await signInAndConsent(b, authorizeUrl(clientId, p.challenge), user);
    const t2 = await issue();
    const admins = await app.json("GET", "/api/admin/oauth-clients", undefined, app.adminToken);
    expect(
      ((await admins.json()) as { data: { client_id: string }[] }).data.some((c) => c.client_id === clientId),
    ).toBe(true);
    expect((await app.json("GET", "/api/admin/oauth-clients", undefined, user.token)).status).toBe(403);
    expect(
      (await app.json("DELETE", `/api/admin/oauth-clients/${clientId}`, undefined, app.adminToken)).status,
    ).toBe(204);
    expect((await app.json("GET", "/api/auth/whoami", undefined, t2)).status).toBe(401);
    expect((await b.go(authorizeUrl(clientId, p.challenge))).status).toBe(400);
  });

  it("refuses consent and login posts without the CSRF cookie's token", async () => {
    const fresh = await newClient();
    const page = await b.go(authorizeUrl(fresh, pkce().challenge));
    const html = await page.text();
    expect(html).toContain("Authorize application");
    const forged = await b.post("/api/auth/authorize/consent", {
      q: field(html, "q"),
      csrf: "x".repeat(32),
      decision: "approve",
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("location")).toBeNull();
    const stranger = new Browser();
    const noCookie = await stranger.post("/api/auth/authorize/consent", {
      q: field(html, "q"),
      csrf: field(html, "csrf"),
      decision: "approve",
    });
    expect(noCookie.status).toBe(403);
  });
});

describe("dynamic client registration", () => {
  it("refuses bad redirect URIs and confidential clients with RFC 7591 errors", async () => {
    for (const uris of [
      ["http://evil.example.net/cb"],
      ["https://ok.example.com/cb#frag"],
      ["javascript:alert(1)"],
      [],
      "nope",
    ]) {
      const res = await register({ redirect_uris: uris });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_redirect_uri");
    }
    const secret = await register({
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "client_secret_basic",
    });
    expect(((await secret.json()) as { error: string }).error).toBe("invalid_client_metadata");
    const grants = await register({ redirect_uris: [REDIRECT], grant_types: ["client_credentials"] });
    expect(((await grants.json()) as { error: string }).error).toBe("invalid_client_metadata");
    for (const ok of [["https://app.example.com/cb"], ["http://[::1]:9/cb"], ["http://localhost:7/cb"]])
      expect((await register({ redirect_uris: ok })).status).toBe(201);
  });

  it("limits registrations per address, and can be turned off", async () => {
    const limited = await startTestApp({
      env: { IMBI_AUTH_RATE_LIMIT_DCR: "2/hour", IMBI_AUTH_DCR_ENABLED: "false" },
    });
    try {
      const post = (ip: string) =>
        limited.request(
          "/api/auth/register",
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ redirect_uris: [REDIRECT] }),
          },
          ip,
        );
      expect((await post("192.0.2.1")).status).toBe(403);
      const meta = (await (
        await limited.request("/.well-known/oauth-authorization-server")
      ).json()) as Record<string, unknown>;
      expect(meta.registration_endpoint).toBeUndefined();
    } finally {
      await limited.stop();
    }
    const open = await startTestApp({ env: { IMBI_AUTH_RATE_LIMIT_DCR: "2/hour" } });
    try {
      const post = (ip: string) =>
        open.request(
          "/api/auth/register",
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ redirect_uris: [REDIRECT] }),
          },
          ip,
        );
      expect((await post("192.0.2.1")).status).toBe(201);
      expect((await post("192.0.2.1")).status).toBe(201);
      const third = await post("192.0.2.1");
      expect(third.status).toBe(429);
      expect(third.headers.get("retry-after")).toBeTruthy();
      expect((await post("192.0.2.2")).status).toBe(201);
    } finally {
      await open.stop();
    }
  });
});
