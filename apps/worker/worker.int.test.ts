// The Workers path in workerd (DESIGN.md §10): the bundle `wrangler deploy` would upload runs in
// Miniflare, with Hyperdrive pointed at this file's database — the embedded PGlite in the `pglite`
// project, a database of the real PostgreSQL 15 + AGE cluster in the `postgres` one — and the
// suite's real clickhouse-server and Upstash-REST bridge behind it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { sign } from "@octokit/webhooks-methods";
import { Miniflare } from "miniflare";
import { nanoid } from "nanoid";
import { parse as parseToml } from "smol-toml";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { createClickHouseAnalytics } from "../../lib/analytics/index.ts";
import { seedIdentity } from "../../lib/identity/setup.ts";
import { buildWorker, repoRoot, type WorkerBundle } from "../../scripts/build_worker.ts";
import { isSameOrigin, pageRefs, parseCsp } from "../../test/harness/html.ts";
import { AgentProvider, Browser, signInAndApprove } from "../../test/harness/mcp_oauth.ts";
import { startTestDatabase, type TestDatabase } from "../../test/harness/pglite.ts";
import { startReceiver } from "../../test/harness/webhook_receiver.ts";

const JWT_SECRET = "worker-test-jwt-secret-0123456789abcdef";
const ENCRYPTION_KEY = "worker-test-encryption-key-0123456789abcdef";
const ORIGIN = "http://imbi.test";

interface WranglerToml {
  compatibility_date: string;
  compatibility_flags?: string[];
}

let outdir: string;
let bundle: WorkerBundle;
let db: TestDatabase;
let mf: Miniflare;
/** The suite's ClickHouse with a database of our own, so other files' cleanup cannot touch it. */
const chBase = new URL(inject("clickhouseUrl"));
const chDatabase = `imbi_worker_${nanoid(8).replace(/[^A-Za-z0-9]/g, "x")}`;
const chUrl = `${chBase.origin}/${chDatabase}`;

async function clickhouse(query: string): Promise<string> {
  // ClickHouse 18.16: no query parameters, so the caller passes only constants and hex literals.
  const res = await fetch(`${chBase.origin}/?database=${chDatabase}`, { method: "POST", body: query });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text}`);
  return text.trim();
}

async function migrateClickHouse(): Promise<void> {
  const store = createClickHouseAnalytics({ url: chUrl });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
}

/** Requests go one at a time: PGlite has a single backend behind every Hyperdrive connection. */
async function request(path: string, init: RequestInit = {}, worker = "imbi"): Promise<Response> {
  const w = await mf.getWorker(worker);
  // Miniflare types fetch with undici's Request/Response; at runtime they are the same web types.
  return (await w.fetch(`${ORIGIN}${path}`, init as never)) as unknown as Response;
}

/**
 * A request as Cloudflare routes it from the edge: through the static-assets layer first (files
 * of dist/public with their `_headers`), then the Worker for every other path.
 */
async function visit(path: string, init: RequestInit = {}): Promise<Response> {
  return (await mf.dispatchFetch(`${ORIGIN}${path}`, init as never)) as unknown as Response;
}

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), "imbi-worker-"));
  // Build and migrate in parallel; Miniflare starts only after the migration transaction has
  // committed, so no worker connection can interleave with it on PGlite's one backend.
  const [built, database] = await Promise.all([
    buildWorker({ outdir }),
    startTestDatabase(),
    migrateClickHouse(),
  ]);
  bundle = built;
  db = database;
  // wrangler.toml's [assets], read by wrangler itself the way `wrangler dev` hands it to Miniflare
  // (dist/public was assembled by the build command the dry run ran).
  const { assets } = unstable_getMiniflareWorkerOptions(join(repoRoot, "wrangler.toml")).workerOptions;
  const toml = parseToml(await readFile(join(repoRoot, "wrangler.toml"), "utf8")) as unknown as WranglerToml;
  const common = {
    modules: true,
    scriptPath: bundle.main,
    // Module names are paths relative to this root; the default (cwd) would make them "../…",
    // which workerd rejects.
    modulesRoot: bundle.outdir,
    // wrangler emits one ESM file today; these rules cover it emitting wasm or extra chunks later.
    modulesRules: [
      { type: "ESModule" as const, include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm" as const, include: ["**/*.wasm"] },
    ],
    compatibilityDate: toml.compatibility_date,
    compatibilityFlags: toml.compatibility_flags ?? [],
    hyperdrives: { HYPERDRIVE: db.url },
  };
  mf = new Miniflare({
    workers: [
      {
        ...common,
        name: "imbi",
        assets,
        bindings: {
          ENVIRONMENT: "test",
          IMBI_AUTH_JWT_SECRET: JWT_SECRET,
          IMBI_AUTH_ENCRYPTION_KEY: ENCRYPTION_KEY,
          IMBI_ACCESS_LOG: "false",
          CLICKHOUSE_URL: chUrl,
          UPSTASH_REDIS_REST_URL: inject("upstashUrl"),
          UPSTASH_REDIS_REST_TOKEN: inject("upstashToken"),
          // A write's score request is delivered at once (Miniflare honours delaySeconds).
          IMBI_SCORE_DEBOUNCE_SECONDS: "0",
          // Both vitest projects run this file at once against the suite's one Redis, from the same
          // client address: the auth limits would count the two runs' sign-ins together.
          IMBI_AUTH_RATE_LIMIT_LOGIN: "1000/minute",
          IMBI_AUTH_RATE_LIMIT_TOKEN: "1000/minute",
          IMBI_AUTH_RATE_LIMIT_DCR: "1000/hour",
          // Outbound webhooks go to a receiver on 127.0.0.1 in this test.
          IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
        },
        // wrangler.toml's queues: this worker produces on imbi-scores and imbi-webhooks and
        // consumes both (`queue()`).
        queueProducers: { SCORE_QUEUE: "imbi-scores", WEBHOOK_QUEUE: "imbi-webhooks" },
        queueConsumers: {
          "imbi-scores": {
            maxBatchSize: 50,
            maxBatchTimeout: 1,
            maxRetries: 5,
            deadLetterQueue: "imbi-scores-dlq",
          },
          "imbi-webhooks": {
            maxBatchSize: 10,
            maxBatchTimeout: 1,
            maxRetries: 10,
            deadLetterQueue: "imbi-webhooks-dlq",
          },
        },
      },
      {
        // Same bundle, deployed without its secrets: every request must refuse with a clear 500.
        ...common,
        name: "misconfigured",
        bindings: { ENVIRONMENT: "production" },
      },
    ],
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  await db?.stop();
  await clickhouse(`DROP DATABASE IF EXISTS ${chDatabase}`).catch(() => undefined);
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

describe("worker bundle", () => {
  it("is one ESM module without Node built-ins outside nodejs_compat", async () => {
    expect(bundle.modules).toEqual(["index.js"]);
    const code = await readFile(bundle.main, "utf8");
    // Bare `fs`/`net`/… imports would only resolve on Node; workerd offers node:* via the flag.
    expect(code).not.toMatch(/from\s*["'](fs|net|tls|child_process|worker_threads)["']/);
    expect(code).not.toMatch(/from\s*["']node:(fs|net|tls|child_process|worker_threads)(\/promises)?["']/);
  });
});

describe("worker in workerd", () => {
  it("GET /status answers liveness", async () => {
    const res = await request("/status");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("GET /api/status reaches Postgres through Hyperdrive, ClickHouse and Upstash", async () => {
    const res = await request("/api/status");
    const body = (await res.json()) as {
      status: string;
      checks: { name: string; kind: string; ok: boolean; error?: string }[];
    };
    expect(body.checks.filter((c) => !c.ok)).toEqual([]);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(body.checks.map((c) => [c.name, c]));
    expect(byName.postgres).toMatchObject({ kind: "postgres", ok: true });
    expect(byName.analytics).toMatchObject({ kind: "clickhouse", ok: true });
    expect(byName.kv).toMatchObject({ kind: "upstash", ok: true });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const res = await request("/api/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      instance: "/api/no-such-thing",
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it("refuses every request with BAD_ENVIRONMENT when production secrets are missing", async () => {
    const res = await request("/api/status", {}, "misconfigured");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as {
      code: string;
      detail: string;
      requestId: string;
      errors: { location: string }[];
    };
    expect(body).toMatchObject({ status: 500, code: "BAD_ENVIRONMENT", instance: "/api/status" });
    const locations = body.errors.map((e) => e.location);
    expect(locations).toEqual(
      expect.arrayContaining(["env.IMBI_AUTH_JWT_SECRET", "env.IMBI_AUTH_ENCRYPTION_KEY"]),
    );
    expect(body.detail).toContain("IMBI_AUTH_JWT_SECRET");
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });
});

describe("pages and static files in workerd", () => {
  const BROWSER_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";

  it("GET /docs is the Worker's Swagger UI page, loading only this origin's files under a strict CSP", async () => {
    const res = await visit("/docs", { headers: { Accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = parseCsp(res.headers.get("content-security-policy"));
    expect(csp["default-src"]).toEqual(["'none'"]);
    expect(csp["script-src"]?.[0]).toBe("'self'");
    const nonce = csp["script-src"]?.[1]?.match(/^'nonce-(.+)'$/)?.[1];
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    const refs = pageRefs(html);
    expect(refs.inline.map((b) => b.nonce)).toEqual([nonce]);
    expect(refs.resources.length).toBeGreaterThanOrEqual(3);
    for (const r of refs.resources) expect(isSameOrigin(r.url, `${ORIGIN}/docs`), r.url).toBe(true);
  });

  it("serves every file /docs references from static assets, with type, cache and nosniff headers", async () => {
    const { resources } = pageRefs(await (await visit("/docs")).text());
    const types: Record<string, RegExp> = {
      js: /^(text|application)\/javascript/,
      css: /^text\/css/,
      png: /^image\/png$/,
    };
    for (const { url } of resources) {
      const res = await visit(url);
      expect(res.status, url).toBe(200);
      // Answered by the assets layer, not the Worker (which would add a request id).
      expect(res.headers.get("x-request-id"), url).toBeNull();
      expect(res.headers.get("content-type"), url).toMatch(types[url.split(".").pop() ?? ""] ?? /^$/);
      expect(res.headers.get("cache-control"), url).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      const served = Buffer.from(await res.arrayBuffer());
      expect(served.equals(await readFile(join(repoRoot, "dist", "public", ...url.split("/")))), url).toBe(
        true,
      );
    }
  });

  it("a path under /static/ that is no file falls through to the Worker's 404 problem", async () => {
    const res = await visit("/static/swagger-ui/0.0.0/swagger-ui.css");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: "NOT_FOUND" });
  });

  it("GET / gives a browser the web app and an API client JSON", async () => {
    const page = await visit("/", { headers: { Accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(pageRefs(await page.text()).resources.map((r) => r.url)).toContainEqual(
      expect.stringMatching(/^\/static\/app\/assets\/index-[\w-]+\.js$/),
    );
    const json = await visit("/", { headers: { Accept: "application/json" } });
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await json.json()).toMatchObject({
      name: "Imbi",
      links: { docs: "/docs", openapi: "/openapi.json", readiness: "/api/status", login: "/api/auth/login" },
    });
  });

  it("the web app's screens are its index.html with a nonce; its files come from static assets", async () => {
    const res = await visit("/o/demo/projects?team=payments", { headers: { Accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    // The Worker answered (static assets have no file at this path).
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const csp = parseCsp(res.headers.get("content-security-policy"));
    const nonce = csp["style-src"]?.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
    const html = await res.text();
    expect(html).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
    const files = pageRefs(html).resources.map((r) => r.url);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const url of files) {
      const file = await visit(url);
      expect(file.status, url).toBe(200);
      expect(file.headers.get("x-request-id"), url).toBeNull();
      expect(file.headers.get("cache-control"), url).toBe("public, max-age=31536000, immutable");
      const served = Buffer.from(await file.arrayBuffer());
      expect(served.equals(await readFile(join(repoRoot, "dist", "public", ...url.split("/")))), url).toBe(
        true,
      );
    }
    // The shell itself is read by the Worker, not served as a cacheable file.
    const login = await visit("/login", { headers: { Accept: BROWSER_ACCEPT } });
    expect(login.headers.get("x-request-id")).toMatch(/^req_/);
  });
});

describe("identity through the worker", () => {
  const email = `admin-${nanoid(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}@example.com`;
  const password = "Worker-Test-Pa55word!";
  const slug = `acme-${nanoid(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
  let token = "";

  beforeAll(async () => {
    // From the test process, on the same database the worker reaches through Hyperdrive; the
    // fresh database has no organization yet, so this one is created and the admin joins it.
    const report = await seedIdentity(db.graph, {
      adminEmail: email,
      adminPassword: password,
      orgSlug: slug,
      orgName: "Acme",
    });
    expect(report).toMatchObject({ adminCreated: email, organizationCreated: slug });
  });

  it("POST /api/auth/login issues an access token", async () => {
    const res = await request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    const body = (await res.json()) as { access_token?: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.access_token).toEqual(expect.any(String));
    token = body.access_token ?? "";
  });

  it("GET /api/organizations/{slug} accepts the token", async () => {
    const res = await request(`/api/organizations/${slug}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { slug?: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.slug).toBe(slug);
  });

  it("authenticates API keys and sees their revocation on the very next request", async () => {
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const create = async (name: string) => {
      const res = await request("/api/api-keys", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ name }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { key_id: string; key: string };
    };
    const withKey = (key: string) =>
      request(`/api/organizations/${slug}`, { headers: { Authorization: `Bearer ${key}` } });
    // Revoked through the worker: the kv denylist and the row.
    const a = await create("worker-a");
    expect((await withKey(a.key)).status).toBe(200);
    const del = await request(`/api/api-keys/${a.key_id}`, { method: "DELETE", headers: auth });
    expect(del.status).toBe(204);
    const refused = await withKey(a.key);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ detail: "Invalid, expired or revoked API key." });
    // Revoked by another process writing only the row: an isolate that cached the key would still
    // accept it.
    const b = await create("worker-b");
    expect((await withKey(b.key)).status).toBe(200);
    await db.sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${b.key_id}`;
    expect((await withKey(b.key)).status).toBe(401);
    // The accepted requests were counted in ClickHouse, under the route template.
    const hex = Buffer.from(a.key_id, "utf8").toString("hex");
    const query = `SELECT sum(requests) FROM api_key_usage WHERE key_id = unhex('${hex}') AND route = '/api/organizations/{org}' AND status = 200 FORMAT TabSeparated`;
    let count = 0;
    for (let i = 0; i < 50 && count === 0; i++) {
      count = Number(await clickhouse(query));
      if (count === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(count).toBe(1);
  });

  it("serves MCP: the official SDK client with an API key lists tools and calls one, and a 401 points at the metadata", async () => {
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    await request(`/api/organizations/${slug}/teams`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ slug: "edge", name: "Edge" }),
    });
    const created = await request("/api/api-keys", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "worker-mcp" }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    // The SDK's transport, with workerd as its fetch: one request at a time, as PGlite needs.
    const viaWorker = async (url: string | URL, init?: RequestInit) => {
      const u = new URL(url);
      return request(`${u.pathname}${u.search}`, init);
    };
    const client = new Client({ name: "imbi-worker-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), {
        fetch: viaWorker,
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    );
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(["get_team", "search_catalog", "create_project"]));
      const team = (await client.callTool({
        name: "get_team",
        arguments: { organization: slug, team: "edge" },
      })) as CallToolResult;
      expect(team.isError, JSON.stringify(team.content)).toBeFalsy();
      expect(JSON.stringify(team.structuredContent)).toContain('"edge"');
    } finally {
      await client.close();
    }
    const anonymous = await request("/mcp", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain(
      'resource_metadata="http://imbi.test/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it("writes the login's audit row to ClickHouse in the background", async () => {
    // waitUntil: the row may land after the response; poll up to ~5 s.
    const hex = Buffer.from(email, "utf8").toString("hex");
    const query = `SELECT count() FROM audit_log WHERE actor = unhex('${hex}') AND event = 'login' FORMAT TabSeparated`;
    let count = 0;
    for (let i = 0; i < 50 && count === 0; i++) {
      count = Number(await clickhouse(query));
      if (count === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(count).toBe(1);
  });

  it("signs a person in for an MCP client through OAuth in workerd: discovery, registration, PKCE, consent, token, tools", async () => {
    const viaWorker = async (url: string | URL, init?: RequestInit) => {
      const u = new URL(url, ORIGIN);
      return request(`${u.pathname}${u.search}`, init);
    };
    const provider = new AgentProvider();
    const transport = new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), {
      fetch: viaWorker,
      authProvider: provider,
    });
    const client = new Client({ name: "agent-in-workerd", version: "1.0.0" });
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const opened = provider.opened as URL;
    expect(`${opened.origin}${opened.pathname}`).toBe(`${ORIGIN}/api/auth/authorize`);
    const code = await signInAndApprove(new Browser(viaWorker), opened, email, password);
    await transport.finishAuth(code);
    const agent = new Client({ name: "agent-in-workerd", version: "1.0.0" });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), {
        fetch: viaWorker,
        authProvider: provider,
      }),
    );
    try {
      const team = (await agent.callTool({
        name: "get_team",
        arguments: { organization: slug, team: "edge" },
      })) as CallToolResult;
      expect(team.isError, JSON.stringify(team.content)).toBeFalsy();
    } finally {
      await agent.close();
    }
  });
});

describe("the client address in workerd", () => {
  it("is CF-Connecting-IP; a client-sent X-Forwarded-For is ignored by default", async () => {
    const email = `edge-${nanoid(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "x")}@example.com`;
    const res = await request("/api/auth/login", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "CF-Connecting-IP": "203.0.113.9",
        "X-Forwarded-For": "6.6.6.6",
      },
      body: JSON.stringify({ email, password: "Wrong-Passw0rd!" }),
    });
    expect(res.status).toBe(401);
    const hex = Buffer.from(email, "utf8").toString("hex");
    const query = `SELECT ip FROM audit_log WHERE actor = unhex('${hex}') AND event = 'login_failed' FORMAT TabSeparated`;
    let ip = "";
    for (let i = 0; i < 50 && ip === ""; i++) {
      ip = await clickhouse(query);
      if (ip === "") await new Promise((r) => setTimeout(r, 100));
    }
    expect(ip).toBe("203.0.113.9");
  });
});

describe("score recomputation through Cloudflare Queues in workerd", () => {
  it("a project write is enqueued, consumed by the worker's queue() handler, scored and recorded", async () => {
    // Log in again (the identity block above seeded the admin and organization).
    const admin = await db.graph.one<{ email: string }>(
      "MATCH (u:User) WHERE u.is_admin = true RETURN u.email",
      {},
      ["email"],
    );
    const org = await db.graph.one<{ slug: string }>("MATCH (o:Organization) RETURN o.slug LIMIT 1", {}, [
      "slug",
    ]);
    const login = await request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: admin?.email, password: "Worker-Test-Pa55word!" }),
    });
    const { access_token } = (await login.json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" };
    const post = (path: string, body: unknown) =>
      request(path, { method: "POST", headers: auth, body: JSON.stringify(body) });
    expect((await post(`/api/organizations/${org?.slug}/teams`, { slug: "core", name: "Core" })).status).toBe(
      201,
    );
    expect(
      (await post(`/api/organizations/${org?.slug}/project-types`, { slug: "api", name: "API" })).status,
    ).toBe(201);
    const policy = await post("/api/scoring/policies", {
      name: "Has a description",
      category: "presence",
      attribute_name: "description",
      weight: 10,
    });
    expect(policy.status, await policy.clone().text()).toBe(201);
    const created = await post(`/api/organizations/${org?.slug}/projects`, {
      slug: "edge-api",
      name: "Edge API",
      description: "Runs at the edge",
      team: "core",
      project_types: ["api"],
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Poll ClickHouse, not the API: PGlite has one backend, so a request must not overlap the
    // consumer's statements (on real Postgres they could).
    const hex = Buffer.from(id, "utf8").toString("hex");
    const rows = () =>
      clickhouse(`SELECT count() FROM score_history WHERE project_id = unhex('${hex}') FORMAT TabSeparated`);
    for (let i = 0; i < 100 && (await rows()) === "0"; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await rows()).toBe("1");
    // The graph write follows the history row; give the consumer a moment to finish it.
    let score: number | null = null;
    for (let i = 0; i < 20 && score === null; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const res = await request(`/api/organizations/${org?.slug}/projects/${id}`, { headers: auth });
      score = ((await res.json()) as { score: number | null }).score;
    }
    expect(score).toBe(100);
  });
});

describe("outbound webhooks in workerd", () => {
  it("a project write and its score change reach a subscriber, signed, in order, from the Worker", async () => {
    const receiver = await startReceiver();
    try {
      const admin = await db.graph.one<{ email: string }>(
        "MATCH (u:User) WHERE u.is_admin = true RETURN u.email",
        {},
        ["email"],
      );
      const org = await db.graph.one<{ slug: string }>("MATCH (o:Organization) RETURN o.slug LIMIT 1", {}, [
        "slug",
      ]);
      const login = await request("/api/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: admin?.email, password: "Worker-Test-Pa55word!" }),
      });
      const { access_token } = (await login.json()) as { access_token: string };
      const auth = { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" };
      const post = (path: string, body: unknown) =>
        request(path, { method: "POST", headers: auth, body: JSON.stringify(body) });
      const sub = await post(`/api/organizations/${org?.slug}/subscriptions`, { url: receiver.url });
      expect(sub.status, await sub.clone().text()).toBe(201);
      const { secret } = (await sub.json()) as { secret: string };
      // The team, type and scoring policy of the queue test above are there already.
      const created = await post(`/api/organizations/${org?.slug}/projects`, {
        slug: "edge-hooked",
        name: "Edge hooked",
        description: "Tells the world",
        team: "core",
        project_types: ["api"],
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const { id } = (await created.json()) as { id: string };
      // The project event is sent after the response (waitUntil); the score event by the queue() handler.
      for (let i = 0; i < 100 && receiver.received.length < 2; i++)
        await new Promise((r) => setTimeout(r, 100));
      const events = receiver.received.map(
        (r) =>
          new Webhook(secret).verify(r.body, {
            "webhook-id": String(r.headers["webhook-id"]),
            "webhook-timestamp": String(r.headers["webhook-timestamp"]),
            "webhook-signature": String(r.headers["webhook-signature"]),
          }) as { type: string; data: { project_id: string } },
      );
      expect(events.map((e) => [e.type, e.data.project_id])).toEqual([
        ["project.created", id],
        ["score.changed", id],
      ]);
    } finally {
      await receiver.close();
    }
  });
});

describe("inbound webhooks in workerd", () => {
  it("a signed GitHub deployment_status is verified, queued on imbi-webhooks, and recorded by queue()", async () => {
    const admin = await db.graph.one<{ email: string }>(
      "MATCH (u:User) WHERE u.is_admin = true RETURN u.email",
      {},
      ["email"],
    );
    const org = await db.graph.one<{ slug: string }>("MATCH (o:Organization) RETURN o.slug LIMIT 1", {}, [
      "slug",
    ]);
    const login = await request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: admin?.email, password: "Worker-Test-Pa55word!" }),
    });
    const { access_token } = (await login.json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" };
    const post = async (path: string, body: unknown) => {
      const res = await request(path, { method: "POST", headers: auth, body: JSON.stringify(body) });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
      return (await res.json()) as Record<string, unknown>;
    };
    const o = `/api/organizations/${org?.slug}`;
    await post(`${o}/environments`, { slug: "production", name: "Production" });
    await post("/api/service-accounts", { slug: "edge-gateway", display_name: "Edge gateway" });
    await post("/api/service-accounts/edge-gateway/organizations", {
      organization: org?.slug,
      role: "imbi-gateway",
    });
    // The team and type of the queue test above are there already.
    const project = await post(`${o}/projects`, {
      slug: "edge-deployed",
      name: "Edge deployed",
      team: "core",
      project_types: ["api"],
      identifiers: { github: "777" },
    });
    const hook = await post(`${o}/webhooks`, {
      slug: "edge-github",
      name: "GitHub",
      service_account: "edge-gateway",
      rules: [
        {
          name: "Record deployments",
          filter: 'event == "deployment_status"',
          action: "record_deployment",
          config: {
            environment: "payload.deployment.environment",
            version: "payload.deployment.ref",
            external_run_id: "string(payload.deployment.id)",
          },
        },
      ],
    });
    const body = JSON.stringify({
      deployment_status: { state: "success" },
      deployment: { id: 31337, ref: "v7.0.0", environment: "production" },
      repository: { id: 777 },
      sender: { login: "octocat" },
    });
    const deliver = async (signature: string) =>
      request(`/api${hook.path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "deployment_status",
          "x-github-delivery": "edge-delivery-1",
          "x-hub-signature-256": signature,
        },
        body,
      });
    expect((await deliver(await sign("wrong-secret", body))).status).toBe(401);
    const accepted = await deliver(await sign(String(hook.secret), body));
    expect(accepted.status, await accepted.clone().text()).toBe(202);
    // Poll ClickHouse, not the API (PGlite's one backend must not overlap the consumer): the
    // queue() handler records the processed delivery there when it has run the rules.
    const processed = () =>
      clickhouse(
        `SELECT count() FROM webhook_deliveries WHERE webhook = 'edge-github' AND status = 'processed' FORMAT TabSeparated`,
      );
    for (let i = 0; i < 100 && (await processed()) === "0"; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await processed()).toBe("1");
    const res = await request(`${o}/projects/${project.id}/deployments`, { headers: auth });
    const deployments = (await res.json()) as { data: Record<string, unknown>[] };
    // No release v7.0.0 yet: the deployment is recorded unattached, carrying the tag.
    expect(deployments.data).toEqual([
      expect.objectContaining({
        status: "success",
        release_id: null,
        ref: "v7.0.0",
        performed_by: "octocat",
      }),
    ]);
    // A redelivery of the same X-GitHub-Delivery is acknowledged and not run again.
    const again = await deliver(await sign(String(hook.secret), body));
    expect(await again.json()).toMatchObject({ duplicate: true });
  });
});
