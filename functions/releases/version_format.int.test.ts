import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedCatalog } from "../../test/harness/catalog.ts";

// IMBI_RELEASES_VERSION_FORMAT is enforced by the verb and stated by the served document.
let app: TestApp;
let project: string;

beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_RELEASES_VERSION_FORMAT: "calver" } });
  await seedCatalog(app, "acme");
  const res = await app.json(
    "POST",
    "/api/organizations/acme/projects",
    { slug: "cal", name: "cal", team: "core", project_types: ["api"] },
    app.adminToken,
  );
  project = ((await res.json()) as { id: string }).id;
});
afterAll(() => app?.stop());

it("checks versions against the configured format and serves that rule in /openapi.json", async () => {
  const create = (version: string) =>
    app.json("POST", `/api/organizations/acme/projects/${project}/releases`, { version }, app.adminToken);
  const semver = await create("1.2.3");
  expect(semver.status).toBe(400);
  expect(((await semver.json()) as { detail: string }).detail).toContain("calendar version");
  expect((await create("2024.05.1")).status).toBe(201);

  const doc = (await (await app.request("/openapi.json")).json()) as {
    components: {
      schemas: { CreateRelease: { properties: { version: { pattern: string; description: string } } } };
    };
  };
  const version = doc.components.schemas.CreateRelease.properties.version;
  expect(version.description).toContain("IMBI_RELEASES_VERSION_FORMAT=calver");
  expect(new RegExp(version.pattern, "u").test("2024.05.1")).toBe(true);
  expect(new RegExp(version.pattern, "u").test("1.2.3")).toBe(false);
});
