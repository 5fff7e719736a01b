import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS } from "../../lib/core/actor.ts";
import { createCtx } from "../../lib/core/ctx.ts";
import { getReadiness } from "../../lib/status/status_verbs.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { LivenessSchema, ReadinessSchema } from "./schemas.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_API_CORS_ALLOWED_ORIGINS: '["https://spa.example"]' } });
});
afterAll(() => app?.stop());

describe("status", () => {
  it("GET /status answers liveness without touching stores", async () => {
    const res = await app.request("/status");
    expect(res.status).toBe(200);
    expect(LivenessSchema.parse(await res.json()).status).toBe("ok");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("GET /api/status checks every store", async () => {
    const res = await app.request("/api/status/");
    expect(res.status).toBe(200);
    const body = ReadinessSchema.parse(await res.json());
    expect(body.checks.map((c) => [c.name, c.kind, c.ok])).toEqual([
      ["postgres", "postgres", true],
      ["analytics", "clickhouse", true],
      ["kv", "upstash", true],
    ]);
    expect(body.score_queue).toEqual({ kind: "memory", waiting: 0, dead_letters: 0 });
  });

  it("answers 503 naming the store that is down", async () => {
    const down = await startTestApp({ clickhouseUrl: "http://127.0.0.1:9/imbi" });
    try {
      const res = await down.request("/api/status");
      expect(res.status).toBe(503);
      const body = ReadinessSchema.parse(await res.json());
      expect(body.status).toBe("degraded");
      const analytics = body.checks.find((c) => c.name === "analytics");
      expect(analytics?.ok).toBe(false);
      expect(analytics?.error).toBeTruthy();
      expect(body.checks.find((c) => c.name === "postgres")?.ok).toBe(true);
      // Logins still work while analytics is down: audit writes are background work.
      const login = await down.json("POST", "/api/auth/login", {
        email: "admin@imbi.test",
        password: "Admin-Passw0rd!",
      });
      expect(login.status).toBe(200);
    } finally {
      await down.stop();
    }
  });
});

describe("public operations", () => {
  it("stamps liveness, readiness and the landing page public, and answers them without credentials", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { operationId: string; "x-imbi-access"?: string }>>;
    };
    const stamps = Object.fromEntries(
      ["/status", "/api/status", "/"].map((p) => [
        doc.paths[p]?.get?.operationId,
        doc.paths[p]?.get?.["x-imbi-access"],
      ]),
    );
    expect(stamps).toEqual({ getLiveness: "public", getReadiness: "public", getRoot: "public" });
    for (const path of ["/status", "/api/status", "/"])
      expect((await app.request(path)).status, path).toBe(200);
  });

  it("answers readiness to any door: the verb needs no HTTP request and no actor", async () => {
    const readiness = await getReadiness(createCtx({ services: app.services, actor: ANONYMOUS }), {});
    expect(readiness.status).toBe("ok");
    expect(readiness.checks.map((c) => c.name)).toEqual(["postgres", "analytics", "kv"]);
  });
});

describe("OpenAPI and docs", () => {
  it("serves one merged 3.1 document where every operation declares its permission", async () => {
    const res = await app.request("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([m, op]) => ({ path, m, op })),
    );
    expect(ops.length).toBeGreaterThan(20);
    for (const { path, m, op } of ops) expect(op["x-imbi-permission"], `${m} ${path}`).toBeDefined();
    expect(doc.paths["/api/auth/login"]?.post).toBeDefined();
    expect(doc.paths["/api/organizations/{org}"]).toBeDefined();
  });

  it("folds the live blueprints into the project schemas, and notices when they change", async () => {
    type Doc = {
      components: {
        schemas: Record<string, { allOf?: { $ref: string }[]; properties?: Record<string, unknown> }>;
      };
    };
    const before = (await (await app.request("/openapi.json")).json()) as Doc;
    expect(before.components.schemas.ProjectAttributes?.properties ?? {}).not.toHaveProperty("runtime");
    const created = await app.json(
      "POST",
      "/api/blueprints",
      {
        slug: "runtime-info",
        name: "Runtime",
        kind: "node",
        type: "Project",
        priority: 10,
        enabled: true,
        schema: {
          type: "object",
          properties: { runtime: { type: "string", description: "Language runtime" } },
        },
      },
      app.adminToken,
    );
    expect(created.status).toBe(201);
    const after = (await (await app.request("/openapi.json")).json()) as Doc;
    expect(after.components.schemas.ProjectAttributes?.properties).toHaveProperty("runtime");
    expect(after.components.schemas.Project?.allOf?.map((x) => x.$ref)).toEqual([
      "#/components/schemas/ProjectCore",
      "#/components/schemas/ProjectAttributes",
    ]);
    const create = after.components.schemas.CreateProject as {
      properties?: object;
      additionalProperties?: unknown;
    };
    expect(create.properties).toHaveProperty("runtime");
    expect(create.additionalProperties).toBe(false);
  });

  it("serves Swagger UI at /docs", async () => {
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("/openapi.json");
  });
});

describe("CORS", () => {
  it("allows the configured origin with credentials, and only it", async () => {
    const ok = await app.request("/api/status", { headers: { Origin: "https://spa.example" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://spa.example");
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    const other = await app.request("/api/status", { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await app.request("/api/auth/login", {
      method: "OPTIONS",
      headers: { Origin: "https://spa.example", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
  });
});
