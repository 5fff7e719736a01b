import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedBlueprints, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { ProjectSchema } from "./schemas.ts";

// Its own database: the relationship blueprint below would change what other files' projects may carry.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, "acme");
  await seedBlueprints(app);
  const bp = await app.json(
    "POST",
    "/api/blueprints",
    {
      slug: "deployment-sizing",
      name: "Deployment sizing",
      kind: "relationship",
      source: "Project",
      edge: "DEPLOYED_IN",
      target: "Environment",
      priority: 1,
      enabled: true,
      schema: {
        type: "object",
        properties: { replicas: { type: "integer", minimum: 1, default: 2 }, region: { type: "string" } },
      },
    },
    app.adminToken,
  );
  expect(bp.status).toBe(201);
});
afterAll(() => app?.stop());

const base = "/api/organizations/acme/projects";

describe("relationship blueprints on DEPLOYED_IN", () => {
  it("validate deployment properties, naming the environment and field", async () => {
    const bad = await app.json(
      "POST",
      base,
      body({
        slug: "sized-bad",
        environments: { production: { url: "https://x.example", replicas: "three" } },
      }),
      app.adminToken,
    );
    const problem = await expectProblem(bad, 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain("json.environments.production.replicas");
    const unknown = await app.json(
      "POST",
      base,
      body({ slug: "sized-unknown", environments: { production: { colour: "blue" } } }),
      app.adminToken,
    );
    await expectProblem(unknown, 400, "VALIDATION_FAILED");
  });

  it("apply defaults on create and on the single-environment patch", async () => {
    const res = await app.json(
      "POST",
      base,
      body({ slug: "sized", environments: { production: { url: "https://p.example", region: "eu" } } }),
      app.adminToken,
    );
    expect(res.status).toBe(201);
    const p = ProjectSchema.parse(await res.json());
    expect(p.environments.production).toEqual({ url: "https://p.example", region: "eu", replicas: 2 });

    const patched = await app.json(
      "PATCH",
      `${base}/${p.id}/environments/staging`,
      { url: "https://s.example" },
      app.adminToken,
    );
    expect(patched.status).toBe(200);
    expect(ProjectSchema.parse(await patched.json()).environments.staging).toEqual({
      url: "https://s.example",
      replicas: 2,
    });
    const badPatch = await app.json(
      "PATCH",
      `${base}/${p.id}/environments/staging`,
      { replicas: 0 },
      app.adminToken,
    );
    const problem = await expectProblem(badPatch, 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain("json.environments.staging.replicas");
  });
});
