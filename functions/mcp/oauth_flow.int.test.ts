// Issue 11, end to end: the official MCP SDK client connects to /mcp over a real socket with nothing
// but the URL, and signs a person in the way Claude Desktop would — discovery from the 401,
// dynamic client registration, authorization with PKCE (this test plays the browser: the sign-in
// form, then the consent form), the code exchange — then lists and calls tools, and refreshes its
// token when the access token stops working.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickhouseUrlFor, startTestApp, type TestApp } from "../../test/harness/app.ts";
import { AgentProvider, Browser, signInAndApprove } from "../../test/harness/mcp_oauth.ts";

const PASSWORD = "Agent-Passw0rd!x";

let app: TestApp;
let server: ReturnType<typeof serve>;
let base: string;

/** The access-log rows, from whichever analytics store the test app uses. */
async function accessRows(): Promise<{ actor: string; tool: string; credential: string }[]> {
  if (app.analytics.kind === "embedded")
    return app.db.sql.unsafe("select actor, tool, credential from analytics.mcp_access_log");
  const url = new URL(clickhouseUrlFor(app.db));
  const res = await fetch(`${url.origin}/?database=${url.pathname.replace(/^\/+/, "")}`, {
    method: "POST",
    body: "SELECT actor, tool, credential FROM mcp_access_log FORMAT JSONEachRow",
  });
  expect(res.status).toBe(200);
  return (await res.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const connect = async (provider: AgentProvider) => {
  const client = new Client({ name: "agent-under-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { authProvider: provider });
  await client.connect(transport);
  return client;
};

beforeAll(async () => {
  app = await startTestApp();
  await app.org("acme");
  await app.json(
    "POST",
    "/api/organizations/acme/teams",
    { slug: "payments", name: "Payments" },
    app.adminToken,
  );
  await app.user("agent-owner@imbi.test", [{ org: "acme", role: "readonly" }], { password: PASSWORD });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  if (server) await new Promise((r) => server.close(r));
  await app?.stop();
});

describe("an MCP client signing a person in through Imbi's OAuth", () => {
  it("discovers, registers, authorizes with PKCE, calls tools as the person, and refreshes", async () => {
    const provider = new AgentProvider();
    const client = new Client({ name: "agent-under-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { authProvider: provider });

    // 1. The first request is a 401; the SDK follows the metadata, registers and asks the host
    //    to open the browser at the authorization endpoint.
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toMatch(/^oc_/);
    const opened = provider.opened as URL;
    expect(`${opened.origin}${opened.pathname}`).toBe(`${base}/api/auth/authorize`);
    expect(opened.searchParams.get("code_challenge_method")).toBe("S256");
    expect(opened.searchParams.get("resource")).toBe(`${base}/mcp`);

    // 2. The person signs in and approves; the host hands the code back to the SDK.
    const code = await signInAndApprove(
      new Browser((url, init) => fetch(new URL(url, base), init)),
      opened,
      "agent-owner@imbi.test",
      PASSWORD,
    );
    await transport.finishAuth(code);
    expect(provider.saved?.refresh_token).toBeTruthy();

    // 3. Connected as the person: a read-only member sees read tools only, and reads work.
    const agent = await connect(provider);
    const names = (await agent.listTools()).tools.map((t) => t.name);
    expect(names).toContain("get_team");
    expect(names).not.toContain("create_project");
    const team = (await agent.callTool({
      name: "get_team",
      arguments: { organization: "acme", team: "payments" },
    })) as CallToolResult;
    expect(team.isError, JSON.stringify(team.content)).toBeFalsy();
    // Every call is authorized by the verb again: a write the person may not make is refused.
    const write = (await agent.callTool({
      name: "create_project",
      arguments: {
        organization: "acme",
        slug: "sneaky",
        name: "Sneaky",
        team: "payments",
        project_types: ["api"],
      },
    })) as CallToolResult;
    expect(write.isError).toBe(true);
    expect(JSON.stringify(write.content)).toContain("FORBIDDEN");
    await agent.close();

    // 4. The token is bound to /mcp: the REST API refuses it.
    const rest = await fetch(`${base}/api/organizations/acme`, {
      headers: { Authorization: `Bearer ${provider.saved?.access_token}` },
    });
    expect(rest.status).toBe(401);

    // 5. The access token stops working: the SDK refreshes with the refresh token and goes on.
    const oldRefresh = provider.saved?.refresh_token;
    provider.saved = { ...(provider.saved as OAuthTokens), access_token: "expired.or.revoked" };
    const again = await connect(provider);
    expect((await again.listTools()).tools.length).toBeGreaterThan(0);
    expect(provider.saved?.access_token).not.toBe("expired.or.revoked");
    expect(provider.saved?.refresh_token).not.toBe(oldRefresh);
    await again.close();

    // 6. Every tool call was recorded with the person and the OAuth credential.
    await app.drain();
    const credentials = (await accessRows()).filter((r) => r.actor === "agent-owner@imbi.test");
    expect(credentials.map((r) => [r.tool, r.credential])).toEqual(
      expect.arrayContaining([
        ["get_team", `oauth:${provider.client?.client_id}`],
        ["create_project", `oauth:${provider.client?.client_id}`],
      ]),
    );
  });
});
