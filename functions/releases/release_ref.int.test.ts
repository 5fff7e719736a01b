import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedCatalog } from "../../test/harness/catalog.ts";
import { BlockerPageSchema, BlockerSchema, CreatedReleaseSchema, ReleaseSchema } from "./schemas.ts";

// A release is addressed by its id or its version (`{release_id}` of every release route). With
// IMBI_RELEASES_VERSION_FORMAT=any a version can be anything, even another release's id: the id
// wins within a project, and a lookup never reaches into another project.
const ORG = "acme";
let app: TestApp;

const base = (project: string) => `/api/organizations/${ORG}/projects/${project}`;
const call = (method: string, path: string, body?: unknown) => app.json(method, path, body, app.adminToken);

async function createProject(slug: string): Promise<string> {
  const res = await call("POST", `/api/organizations/${ORG}/projects`, {
    slug,
    name: slug,
    team: "core",
    project_types: ["api"],
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function release(project: string, version: string) {
  const res = await call("POST", `${base(project)}/releases`, { version });
  expect(res.status, await res.clone().text()).toBe(201);
  return CreatedReleaseSchema.parse(await res.json());
}

async function get(project: string, ref: string) {
  return call("GET", `${base(project)}/releases/${encodeURIComponent(ref)}`);
}

beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_RELEASES_VERSION_FORMAT: "any" } });
  await seedCatalog(app, ORG);
});
afterAll(() => app?.stop());

describe("a release addressed by id or version", () => {
  it("gets, blocks, lists blockers of and resolves a release by its version", async () => {
    const p = await createProject("by-version");
    const r = await release(p, "v1.4.0+build.7");
    await release(p, "release/2024-05");
    const got = await get(p, "v1.4.0+build.7");
    expect(got.status, await got.clone().text()).toBe(200);
    expect(ReleaseSchema.parse(await got.json()).id).toBe(r.id);
    // A `/` in a version travels percent-encoded.
    const slashed = await get(p, "release/2024-05");
    expect(slashed.status, await slashed.clone().text()).toBe(200);
    expect(ReleaseSchema.parse(await slashed.json()).version).toBe("release/2024-05");

    const ref = encodeURIComponent("v1.4.0+build.7");
    const filed = await call("POST", `${base(p)}/releases/${ref}/blockers`, { reason: "flaky" });
    expect(filed.status).toBe(201);
    const blocker = BlockerSchema.parse(await filed.json());
    expect(blocker.release_id).toBe(r.id);
    const list = BlockerPageSchema.parse(
      await (await call("GET", `${base(p)}/releases/${ref}/blockers`)).json(),
    );
    expect(list.data.map((b) => b.id)).toEqual([blocker.id]);
    const resolved = await call("POST", `${base(p)}/releases/${ref}/blockers/${blocker.id}/resolve`, {});
    expect(resolved.status).toBe(200);

    const unknown = await get(p, "v9.9.9");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toContain("id or version 'v9.9.9'");
    expect((await get(p, "has space")).status).toBe(400);
  });

  it("prefers the id when one release's version is another's id, and stays in its project", async () => {
    const a = await createProject("ref-a");
    const b = await createProject("ref-b");
    const inB = await release(b, "1.0.0");
    // Project A has a release whose version is the id of B's release…
    const lookalike = await release(a, inB.id);
    // …so A answers with its own release, and B with its own.
    expect(ReleaseSchema.parse(await (await get(a, inB.id)).json()).id).toBe(lookalike.id);
    expect(ReleaseSchema.parse(await (await get(b, inB.id)).json()).id).toBe(inB.id);
    // B's release is not reachable through A by its version either.
    expect((await get(a, "1.0.0")).status).toBe(404);
    // Publishing by that ref in A publishes A's release and leaves B's alone.
    const published = await call("POST", `${base(a)}/releases/${inB.id}/publish`, {});
    expect(published.status, await published.clone().text()).toBe(200);
    expect(ReleaseSchema.parse(await published.json()).id).toBe(lookalike.id);
    expect(ReleaseSchema.parse(await (await get(b, inB.id)).json()).published_at).toBeNull();

    // Within one project the id wins over a version equal to it.
    const first = await release(a, "2.0.0");
    const shadow = await release(a, first.id);
    expect(ReleaseSchema.parse(await (await get(a, first.id)).json()).id).toBe(first.id);
    expect(ReleaseSchema.parse(await (await get(a, shadow.id)).json()).version).toBe(first.id);
  });
});
