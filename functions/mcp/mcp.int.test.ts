// Issue 11: the MCP door driven by the official SDK client over a real socket (the router served
// by @hono/node-server on a loopback port), with an API key and a client-credential token.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClientCredential } from "../../lib/identity/service_account_credentials.ts";
import { addServiceAccountMembership, createServiceAccount } from "../../lib/identity/service_accounts.ts";
import { TOOLS } from "../../lib/mcp/tools.ts";
import { clickhouseUrlFor, startTestApp, type TestApp } from "../../test/harness/app.ts";

let app: TestApp;
let server: ReturnType<typeof serve>;
let base: string;
const keys: Record<string, string> = {};
let ccToken: string;

const WRITE_TOOLS = TOOLS.filter((t) => t.annotations.readOnlyHint === false).map((t) => t.name);

async function apiKey(token: string): Promise<string> {
  const res = await app.json("POST", "/api/api-keys", { name: "mcp" }, token);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

async function connect(bearer: string): Promise<Client> {
  const client = new Client({ name: "imbi-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

const errorText = (r: CallToolResult) => {
  expect(r.isError).toBe(true);
  return (r.content[0] as { text: string }).text;
};

async function ok(r: Promise<CallToolResult>): Promise<Record<string, unknown>> {
  const res = await r;
  expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
  return res.structuredContent as Record<string, unknown>;
}

beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_API_CORS_ALLOWED_ORIGINS: "https://console.example" } });
  await app.org("acme");
  const admin = app.adminToken;
  for (const [path, body] of [
    ["/api/organizations/acme/teams", { slug: "payments", name: "Payments" }],
    ["/api/organizations/acme/project-types", { slug: "api", name: "API" }],
    ["/api/organizations/acme/environments", { slug: "production", name: "Production" }],
    [
      "/api/organizations/acme/projects",
      { slug: "ledger", name: "Ledger", team: "payments", project_types: ["api"] },
    ],
    [
      "/api/organizations/acme/projects",
      { slug: "billing", name: "Billing", team: "payments", project_types: ["api"] },
    ],
    [
      "/api/organizations/acme/projects",
      { slug: "checkout", name: "Checkout", team: "payments", project_types: ["api"] },
    ],
  ] as const) {
    const res = await app.json("POST", path, body, admin);
    expect(res.status, await res.clone().text()).toBe(201);
  }
  // checkout → billing → ledger
  for (const [from, to] of [
    ["checkout", "billing"],
    ["billing", "ledger"],
  ])
    expect(
      (
        await app.json(
          "POST",
          `/api/organizations/acme/projects/${from}/relationships/${to}`,
          undefined,
          admin,
        )
      ).status,
    ).toBeLessThan(300);

  const dev = await app.user("dev@acme.test", [{ org: "acme", role: "developer" }]);
  const reader = await app.user("reader@acme.test", [{ org: "acme", role: "readonly" }]);
  const owner = await app.user("owner@acme.test", [{ org: "acme", role: "admin" }]);
  keys.dev = await apiKey(dev.token);
  keys.reader = await apiKey(reader.token);
  keys.owner = await apiKey(owner.token);
  const nobody = await app.user("nobody@elsewhere.test");
  keys.nobody = await apiKey(nobody.token);

  await createServiceAccount(app.db.graph, { slug: "agent-ci", display_name: "agent-ci" });
  await addServiceAccountMembership(app.db.graph, "agent-ci", "acme", "readonly");
  const cred = await createClientCredential(app.services, {
    serviceAccount: "agent-ci",
    name: "mcp",
    scopes: [],
    organizations: [],
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const tok = await app.request("/api/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: cred.client_id,
      client_secret: cred.client_secret,
    }).toString(),
  });
  expect(tok.status).toBe(200);
  ccToken = ((await tok.json()) as { access_token: string }).access_token;

  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  if (server) await new Promise((r) => server.close(r));
  await app?.stop();
});

describe("tools/list shows what the caller may do (fail closed)", () => {
  it("a developer's key sees the catalog writes; a read-only key and a read-only service account see no write tool", async () => {
    const dev = await connect(keys.dev as string);
    const devTools = (await dev.listTools()).tools;
    const names = devTools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["search_catalog", "create_project", "add_dependency"]));
    // developer has no operations_log:create, so record_operation stays hidden from it.
    expect(names).not.toContain("record_operation");
    const create = devTools.find((t) => t.name === "create_project");
    expect(create?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      openWorldHint: false,
    });
    expect(create?.inputSchema.required).toEqual(expect.arrayContaining(["organization", "slug", "team"]));
    expect(create?.outputSchema).toBeDefined();

    for (const bearer of [keys.reader as string, ccToken]) {
      const c = await connect(bearer);
      const shown = (await c.listTools()).tools.map((t) => t.name);
      expect(shown).toContain("get_project");
      for (const w of WRITE_TOOLS) expect(shown).not.toContain(w);
      await c.close();
    }
    const owner = await connect(keys.owner as string);
    expect((await owner.listTools()).tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    // A user in no organization is shown nothing at all.
    const nobody = await connect(keys.nobody as string);
    expect((await nobody.listTools()).tools).toEqual([]);
    await Promise.all([dev.close(), owner.close(), nobody.close()]);
  });
});

describe("tool calls", () => {
  it("search, get project, blast radius, path, what needs attention (API key and client-credential token)", async () => {
    for (const bearer of [keys.reader as string, ccToken]) {
      const c = await connect(bearer);
      const hits = await ok(call(c, "search_catalog", { organization: "acme", query: "ledger" }));
      expect(JSON.stringify(hits.data)).toContain("ledger");

      const got = await ok(call(c, "get_project", { organization: "acme", project: "billing" }));
      expect(got.project).toMatchObject({ slug: "billing", team: expect.anything() });
      expect(got.score_breakdown).toBeDefined();

      const blast = await ok(call(c, "get_blast_radius", { organization: "acme", project: "ledger" }));
      const slugs = (blast.nodes as { slug: string }[]).map((n) => n.slug).sort();
      expect(slugs).toEqual(["billing", "checkout", "ledger"]);

      const path = await ok(
        call(c, "find_dependency_path", { organization: "acme", from: "checkout", to: "ledger" }),
      );
      expect((path.nodes as { slug: string }[]).map((n) => n.slug)).toEqual([
        "checkout",
        "billing",
        "ledger",
      ]);
      const none = await call(c, "find_dependency_path", {
        organization: "acme",
        from: "ledger",
        to: "checkout",
      });
      expect(errorText(none)).toMatch(/^NOT_FOUND: /);

      const attention = await ok(call(c, "what_needs_attention", { organization: "acme" }));
      expect((attention.lowest_scoring as unknown[]).length).toBe(3);
      expect(attention.rollup).toMatchObject({ dimension: "team" });
      await c.close();
    }
  });

  it("a developer creates a project and adds a dependency; an org admin records an operation", async () => {
    const dev = await connect(keys.dev as string);
    const created = await ok(
      call(dev, "create_project", {
        organization: "acme",
        name: "Payouts",
        slug: "payouts",
        team: "payments",
        project_types: ["api"],
      }),
    );
    expect(created.project).toMatchObject({ slug: "payouts" });
    const dep = await ok(
      call(dev, "add_dependency", { organization: "acme", project: "payouts", depends_on: "ledger" }),
    );
    expect(dep.created).toBe(true);
    const blast = await ok(call(dev, "get_blast_radius", { organization: "acme", project: "ledger" }));
    expect((blast.nodes as { slug: string }[]).map((n) => n.slug)).toContain("payouts");
    await dev.close();

    const owner = await connect(keys.owner as string);
    const entry = await ok(
      call(owner, "record_operation", {
        organization: "acme",
        project: "billing",
        environment: "production",
        entry_type: "Deployed",
        description: "billing 2.4.1 went to production",
        version: "2.4.1",
      }),
    );
    expect(entry.entry).toMatchObject({ version: "2.4.1", recorded_by: "owner@acme.test" });
    const log = await ok(call(owner, "list_operations_log", { organization: "acme", project: "billing" }));
    expect(JSON.stringify(log.data)).toContain("2.4.1");
    await owner.close();
  });

  it("an org admin records deployments; anyone who reads sees what's deployed where", async () => {
    const owner = await connect(keys.owner as string);
    for (const [status, run] of [
      ["in_progress", "gha-1"],
      ["success", "gha-1"],
    ] as const)
      await ok(
        call(owner, "record_deployment", {
          organization: "acme",
          project: "ledger",
          environment: "production",
          status,
          ref: "v3.2.1",
          external_run_id: run,
        }),
      );
    await owner.close();
    const reader = await connect(keys.reader as string);
    const matrix = await ok(call(reader, "whats_deployed", { organization: "acme" }));
    const ledger = (matrix.data as { project_slug: string; environments: unknown }[]).find(
      (r) => r.project_slug === "ledger",
    );
    expect(JSON.stringify(ledger?.environments)).toContain("v3.2.1");
    const mine = await ok(
      call(reader, "get_project_deployments", { organization: "acme", project: "ledger" }),
    );
    // One run, reported twice: one deployment, updated in place.
    expect((mine.recent as { status: string; ref: string }[]).map((d) => [d.ref, d.status])).toEqual([
      ["v3.2.1", "success"],
    ]);
    // The read-only key may not record one.
    expect(
      errorText(
        await call(reader, "record_deployment", {
          organization: "acme",
          project: "ledger",
          environment: "production",
          status: "success",
          ref: "v9",
        }),
      ),
    ).toContain("project:deployment:write");
    await reader.close();
  });

  it("a read-only key calling a write tool gets an error result from the verb, and nothing is written", async () => {
    const c = await connect(keys.reader as string);
    const r = await call(c, "create_project", {
      organization: "acme",
      name: "Nope",
      slug: "nope",
      team: "payments",
      project_types: ["api"],
    });
    expect(errorText(r)).toBe(
      "FORBIDDEN: Permission denied: project:create is required in organization 'acme'.",
    );
    const gone = await call(c, "get_project", { organization: "acme", project: "nope" });
    expect(errorText(gone)).toMatch(/^NOT_FOUND/);
    // Another organization's data is refused the same way (the verb authorizes there).
    expect(errorText(await call(c, "get_project", { organization: "other", project: "x" }))).toMatch(
      /^FORBIDDEN/,
    );
    await c.close();
  });

  it("injection strings and U+0000 are clean tool errors, never a crash", async () => {
    const c = await connect(keys.dev as string);
    const nul = await call(c, "search_catalog", { organization: "acme", query: "led\u0000ger" });
    expect(errorText(nul)).toMatch(/NUL|U\+0000|null/i);
    const patchNul = await call(c, "update_project", {
      organization: "acme",
      project: "billing",
      patch: [{ op: "replace", path: "/description", value: "a\u0000b" }],
    });
    expect(errorText(patchNul)).toMatch(/arguments\.patch/);
    for (const evil of [
      "x' OR 1=1 --",
      "}) MATCH (n) DETACH DELETE n //",
      "../../etc/passwd",
      "$1; DROP TABLE x",
    ]) {
      const hits = await call(c, "search_catalog", { organization: "acme", query: evil });
      expect(hits.isError ?? false).toBe(false);
      expect(errorText(await call(c, "get_project", { organization: "acme", project: evil }))).toMatch(
        /^(NOT_FOUND|VALIDATION_FAILED|BAD_REQUEST)/,
      );
    }
    const badOrg = await call(c, "get_project", { organization: "Acme; DROP", project: "billing" });
    expect(errorText(badOrg)).toMatch(/organization/);
    // The catalog survived.
    expect(
      (await ok(call(c, "get_project", { organization: "acme", project: "ledger" }))).project,
    ).toBeDefined();
    await c.close();
  });
});

describe("resources and prompts", () => {
  it("reads a project, a team and the catalog model; gets both prompts", async () => {
    const c = await connect(ccToken);
    const project = await c.readResource({ uri: "imbi://organizations/acme/projects/ledger" });
    expect(JSON.parse((project.contents[0] as { text: string }).text).project.slug).toBe("ledger");
    const team = await c.readResource({ uri: "imbi://teams/acme/payments" });
    const t = JSON.parse((team.contents[0] as { text: string }).text);
    expect(t.team.slug).toBe("payments");
    expect(t.projects.map((p: { slug: string }) => p.slug)).toContain("ledger");
    const doc = await c.readResource({ uri: "imbi://docs/catalog-model" });
    expect(doc.contents[0]).toMatchObject({ mimeType: "text/markdown" });
    expect((doc.contents[0] as { text: string }).text).toMatch(/^# /);
    await expect(c.readResource({ uri: "imbi://organizations/other/projects/ledger" })).rejects.toThrow(
      /FORBIDDEN/,
    );

    const prompts = (await c.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toEqual(["incident_triage", "onboard_service"]);
    const triage = await c.getPrompt({
      name: "incident_triage",
      arguments: { organization: "acme", project: "ledger" },
    });
    expect(JSON.stringify(triage.messages)).toContain("get_blast_radius");
    await c.close();
  });
});

describe("the HTTP door", () => {
  const init = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
  };
  const post = (headers: Record<string, string>, body: unknown = init) =>
    fetch(`${base}/mcp`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it("no credentials or a bad one → 401 naming the protected-resource metadata", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "Bearer ik_nope_nope" },
      { Authorization: "Basic eDp5" },
    ];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      expect(res.headers.get("www-authenticate")).toMatch(
        new RegExp(`^Bearer resource_metadata="${base}/\\.well-known/oauth-protected-resource/mcp"`),
      );
    }
  });

  it("an untrusted browser Origin → 403; a trusted one and none are served", async () => {
    const auth = { Authorization: `Bearer ${keys.reader}` };
    const evil = await post({ ...auth, Origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { detail: string }).detail).toContain("evil.example");
    // DNS rebinding: the attacker's name resolves to us, so the page is same-origin with the Host.
    const rebinding = await fetch(`${base}/mcp`, {
      method: "POST",
      headers: {
        ...auth,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        Origin: "http://attacker.example",
        Host: "attacker.example",
      },
      body: JSON.stringify(init),
    });
    expect(rebinding.status).toBe(403);
    expect((await post({ ...auth, Origin: "https://console.example" })).status).toBe(200);
    expect((await post(auth)).status).toBe(200);
  });

  it("GET and DELETE answer 405; a body that is not JSON is a JSON-RPC parse error", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(`${base}/mcp`, { method, headers: { Authorization: `Bearer ${keys.reader}` } });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
    const res = await fetch(`${base}/mcp`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${keys.reader}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: "{nope",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });
});

describe("the access log", () => {
  it("records every tool call with actor, credential, tool, status and duration", async () => {
    await app.drain();
    const rows = await accessRows();
    const reader = rows.filter((r) => r.actor === "reader@acme.test");
    expect(reader.find((r) => r.tool === "create_project")).toMatchObject({
      status: "denied",
      actor_kind: "user",
    });
    expect(reader.find((r) => r.tool === "search_catalog")).toMatchObject({ status: "ok" });
    expect(reader[0]?.credential).toMatch(/^api_key:ik_/);
    const sa = rows.filter((r) => r.actor === "agent-ci");
    expect(sa.length).toBeGreaterThan(0);
    expect(sa[0]).toMatchObject({
      actor_kind: "service_account",
      credential: expect.stringMatching(/^client_credentials:/),
    });
    expect(rows.some((r) => r.tool === "find_dependency_path" && r.status === "error")).toBe(true);
    for (const r of rows) expect(Number(r.duration_ms)).toBeGreaterThanOrEqual(0);
  });
});

interface AccessRow {
  actor: string;
  actor_kind: string;
  credential: string;
  tool: string;
  status: string;
  duration_ms: number | string;
}

async function accessRows(): Promise<AccessRow[]> {
  const cols = "actor, actor_kind, credential, tool, status, duration_ms";
  if (app.analytics.kind === "embedded")
    return app.db.sql.unsafe(`select ${cols} from analytics.mcp_access_log order by occurred_at`);
  const url = new URL(clickhouseUrlFor(app.db));
  const database = url.pathname.replace(/^\/+/, "");
  const res = await fetch(`${url.origin}/?database=${database}`, {
    method: "POST",
    body: `SELECT ${cols} FROM mcp_access_log ORDER BY occurred_at, occurred_ms FORMAT JSONEachRow`,
  });
  expect(res.status).toBe(200);
  return (await res.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AccessRow);
}
