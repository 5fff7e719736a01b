// The parts of an MCP host application and of a person's browser that the OAuth end-to-end tests
// play (functions/mcp/oauth_flow.int.test.ts on the Node adapter, apps/worker in workerd): the
// SDK's OAuthClientProvider kept in memory, and a browser that keeps cookies and stops at redirects.
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { expect } from "vitest";

/** The redirect URI the agent registers (a loopback listener it never needs to run here). */
export const REDIRECT = "http://127.0.0.1:47611/callback";

/** What an MCP host application keeps for one server: registration, tokens, the PKCE verifier. */
export class AgentProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  /** The authorization URL the host would open in the user's browser. */
  opened?: URL;
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata: OAuthClientMetadata = {
    client_name: "Agent under test",
    redirect_uris: [REDIRECT],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.opened = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The person's browser: keeps cookies, does not follow redirects. */
export class Browser {
  cookies = new Map<string, string>();
  /** `send` delivers a request to the server under test (a socket, or workerd). */
  constructor(private readonly send: (url: string, init: RequestInit) => Promise<Response>) {}
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await this.send(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ""] = c.split(";");
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
  post(url: string, form: Record<string, string>) {
    return this.go(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }
}

const field = (html: string, name: string) =>
  (new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "")
    .replaceAll("&amp;", "&")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'");

/** Signs in and approves in the browser; returns the code the redirect carries. */
export async function signInAndApprove(
  browser: Browser,
  authorizeUrl: URL,
  email: string,
  password: string,
): Promise<string> {
  const login = await browser.go(authorizeUrl.toString());
  expect(login.status).toBe(200);
  const loginHtml = await login.text();
  expect(loginHtml).toContain("Sign in to Imbi");
  const signedIn = await browser.post("/api/auth/authorize/login", {
    q: field(loginHtml, "q"),
    csrf: field(loginHtml, "csrf"),
    email,
    password,
  });
  expect(signedIn.status).toBe(303);
  const consent = await browser.go(signedIn.headers.get("location") ?? "");
  const consentHtml = await consent.text();
  expect(consentHtml).toContain("Agent under test");
  expect(consentHtml).toContain("127.0.0.1:47611");
  const approved = await browser.post("/api/auth/authorize/consent", {
    q: field(consentHtml, "q"),
    csrf: field(consentHtml, "csrf"),
    decision: "approve",
  });
  expect(approved.status).toBe(303);
  const back = new URL(approved.headers.get("location") ?? "");
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  expect(back.searchParams.get("state")).toBe(authorizeUrl.searchParams.get("state"));
  return back.searchParams.get("code") ?? "";
}
