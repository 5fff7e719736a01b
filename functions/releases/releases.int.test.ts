import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedCatalog } from "../../test/harness/catalog.ts";
import {
  BlockerSchema,
  CreatedReleaseSchema,
  CurrentReleasesSchema,
  DeploymentMatrixSchema,
  DeploymentPageSchema,
  DeploymentSchema,
  ReleaseDriftSchema,
  ReleasePageSchema,
  ReleaseSchema,
} from "./schemas.ts";

const ORG = "acme";
let app: TestApp;
let readonly: string; // readonly role in acme: reads, never writes
let outsider: string; // admin in globex only

const base = (project: string) => `/api/organizations/${ORG}/projects/${project}`;
const call = (method: string, path: string, body?: unknown, token = app.adminToken) =>
  app.json(method, path, body, token);

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

async function release(project: string, version: string, extra: Record<string, unknown> = {}) {
  const res = await call("POST", `${base(project)}/releases`, { version, ...extra });
  expect(res.status, await res.clone().text()).toBe(201);
  return CreatedReleaseSchema.parse(await res.json());
}

async function deploy(project: string, body: Record<string, unknown>, expected = 201) {
  const res = await call("POST", `${base(project)}/deployments`, body);
  expect(res.status, await res.clone().text()).toBe(expected);
  return DeploymentSchema.parse(await res.json());
}

beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, ORG);
  await seedCatalog(app, "globex");
  readonly = (await app.user("ro@acme.test", [{ org: ORG, role: "readonly" }])).token;
  outsider = (await app.user("ops@globex.test", [{ org: "globex", role: "admin" }])).token;
});

afterAll(async () => {
  await app?.stop();
});

describe("releases", () => {
  it("refuses a version that is not semver with a 400 naming the rule, and accepts semver", async () => {
    const p = await createProject("versions");
    for (const bad of ["1.2", "latest", "1.2.3.4", "=1.2.3", " 1.2.3"]) {
      const res = await call("POST", `${base(p)}/releases`, { version: bad });
      expect(res.status, bad).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await res.json()) as { detail: string; errors: { location: string }[] };
      expect(problem.detail).toContain("semantic version");
      expect(problem.detail).toContain("IMBI_RELEASES_VERSION_FORMAT");
      expect(problem.errors[0]?.location).toBe("json.version");
    }
    const ok = await release(p, "1.2.3-rc.1+build.5", { title: "RC", committish: "abc1234" });
    expect(ok).toMatchObject({ version: "1.2.3-rc.1+build.5", title: "RC", open_blockers: 0 });
    expect((await release(p, "v2.0.0")).version).toBe("v2.0.0");
    // Unique per project.
    expect((await call("POST", `${base(p)}/releases`, { version: "v2.0.0" })).status).toBe(409);
    const page = ReleasePageSchema.parse(await (await call("GET", `${base(p)}/releases?limit=1`)).json());
    expect(page.data.map((r) => r.version)).toEqual(["v2.0.0"]);
    const next = ReleasePageSchema.parse(
      await (await call("GET", `${base(p)}/releases?limit=1&cursor=${page.next_cursor}`)).json(),
    );
    expect(next.data.map((r) => r.version)).toEqual(["1.2.3-rc.1+build.5"]);
    expect(next.next_cursor).toBeNull();
  });
});

describe("deployments", () => {
  it("deduplicates by external run id: the same run updates one deployment", async () => {
    const p = await createProject("dedupe");
    const r = await release(p, "1.0.0");
    const first = await deploy(p, {
      environment: "production",
      release_id: r.id,
      status: "pending",
      external_run_id: "run-1",
    });
    const second = await deploy(
      p,
      { environment: "production", version: "1.0.0", status: "in_progress", external_run_id: "run-1" },
      200,
    );
    const done = await deploy(
      p,
      { environment: "production", version: "1.0.0", status: "success", external_run_id: "run-1" },
      200,
    );
    expect(second.id).toBe(first.id);
    expect(done).toMatchObject({ id: first.id, status: "success", version: "1.0.0", release_id: r.id });
    expect(done.completed_at).not.toBeNull();
    // A late, non-terminal report of the finished run changes nothing.
    const late = await deploy(
      p,
      { environment: "production", version: "1.0.0", status: "in_progress", external_run_id: "run-1" },
      200,
    );
    expect(late.status).toBe("success");
    // The same run in another environment is a conflict, not a second deployment.
    const elsewhere = await call("POST", `${base(p)}/deployments`, {
      environment: "staging",
      version: "1.0.0",
      status: "success",
      external_run_id: "run-1",
    });
    expect(elsewhere.status).toBe(409);
    const history = DeploymentPageSchema.parse(await (await call("GET", `${base(p)}/deployments`)).json());
    expect(history.data.map((d) => d.id)).toEqual([first.id]);
  });

  it("records a deployment of a bare tag unattached and attaches it when the release appears", async () => {
    const p = await createProject("unattached");
    const byTag = await deploy(p, { environment: "staging", ref: "v3.1.0", status: "success" });
    const bySha = await deploy(p, { environment: "production", ref: "0123456789ab", status: "success" });
    expect(byTag).toMatchObject({ release_id: null, version: null, ref: "v3.1.0" });
    const created = await release(p, "3.1.0");
    expect(created.attached_deployments).toBe(1);
    const tag = DeploymentSchema.parse(
      await (await call("GET", `${base(p)}/deployments/${byTag.id}`)).json(),
    );
    expect(tag).toMatchObject({ release_id: created.id, version: "3.1.0", ref: "v3.1.0" });
    // A release whose committish the deployed (abbreviated) sha names.
    const bySha2 = await release(p, "3.2.0", { committish: "0123456789abcdef0123456789abcdef01234567" });
    expect(bySha2.attached_deployments).toBe(1);
    const sha = DeploymentSchema.parse(
      await (await call("GET", `${base(p)}/deployments/${bySha.id}`)).json(),
    );
    expect(sha.release_id).toBe(bySha2.id);
    // A deployment naming a known release by its tag is attached right away.
    const direct = await deploy(p, { environment: "staging", ref: "v3.2.0", status: "pending" });
    expect(direct.release_id).toBe(bySha2.id);
  });

  it("refuses to deploy a blocked release with a 409 listing the blockers, until resolved", async () => {
    const p = await createProject("blocked");
    const r = await release(p, "1.0.0");
    const filed = await call("POST", `${base(p)}/releases/${r.id}/blockers`, { reason: "Smoke test fails" });
    expect(filed.status).toBe(201);
    const blocker = BlockerSchema.parse(await filed.json());
    expect(blocker.status).toBe("open");
    const refused = await call("POST", `${base(p)}/deployments`, {
      environment: "production",
      release_id: r.id,
      status: "pending",
    });
    expect(refused.status).toBe(409);
    const problem = (await refused.json()) as {
      detail: string;
      errors: { location: string; message: string }[];
    };
    expect(problem.detail).toContain("Smoke test fails");
    expect(problem.errors).toEqual([{ location: `blockers.${blocker.id}`, message: "Smoke test fails" }]);
    expect(
      DeploymentPageSchema.parse(await (await call("GET", `${base(p)}/deployments`)).json()).data,
    ).toEqual([]);

    const resolved = await call("POST", `${base(p)}/releases/${r.id}/blockers/${blocker.id}/resolve`, {
      note: "fixed",
    });
    expect(resolved.status).toBe(200);
    expect(BlockerSchema.parse(await resolved.json())).toMatchObject({
      status: "resolved",
      resolution_note: "fixed",
    });
    expect(
      (await call("POST", `${base(p)}/releases/${r.id}/blockers/${blocker.id}/resolve`, {})).status,
    ).toBe(409);
    await deploy(p, { environment: "production", release_id: r.id, status: "pending" });
  });

  it("answers the current release per environment, drift between environments and the org matrix", async () => {
    const p = await createProject("drift");
    const [r1, r2, r3] = [await release(p, "1.0.0"), await release(p, "1.1.0"), await release(p, "1.2.0")];
    await deploy(p, { environment: "production", release_id: r1.id, status: "success" });
    await deploy(p, { environment: "staging", release_id: r1.id, status: "success" });
    await deploy(p, { environment: "staging", release_id: r2.id, status: "success" });
    // A failed attempt is not what runs there.
    await deploy(p, { environment: "staging", release_id: r3.id, status: "failed" });

    const current = CurrentReleasesSchema.parse(
      await (await call("GET", `${base(p)}/releases/current`)).json(),
    );
    expect(current.data.map((c) => [c.environment, c.release?.version])).toEqual([
      ["production", "1.0.0"],
      ["staging", "1.1.0"],
    ]);

    const drift = ReleaseDriftSchema.parse(
      await (await call("GET", `${base(p)}/releases/drift?from=staging&to=production`)).json(),
    );
    expect(drift).toMatchObject({ from: "staging", to: "production", in_sync: false });
    expect(drift.from_current?.id).toBe(r2.id);
    expect(drift.to_current?.id).toBe(r1.id);
    expect(drift.ahead.map((r) => r.version)).toEqual(["1.1.0"]);
    expect(drift.behind).toEqual([]);
    await deploy(p, { environment: "production", release_id: r2.id, status: "success" });
    const synced = ReleaseDriftSchema.parse(
      await (await call("GET", `${base(p)}/releases/drift?from=staging&to=production`)).json(),
    );
    expect(synced).toMatchObject({ in_sync: true, ahead: [], behind: [] });
    const unknownEnv = await call("GET", `${base(p)}/releases/drift?from=staging&to=nowhere`);
    expect(unknownEnv.status).toBe(400);
    expect(((await unknownEnv.json()) as { detail: string }).detail).toContain("no environment 'nowhere'");

    const matrix = DeploymentMatrixSchema.parse(
      await (await call("GET", `/api/organizations/${ORG}/deployments?limit=500`)).json(),
    );
    const row = matrix.data.find((m) => m.project_id === p);
    expect(row?.project_slug).toBe("drift");
    expect(row?.environments).toMatchObject({
      production: { version: "1.1.0", status: "success" },
      staging: { version: "1.2.0", status: "failed" },
    });
    // Another organization's matrix does not show it.
    const other = DeploymentMatrixSchema.parse(
      await (await call("GET", "/api/organizations/globex/deployments", undefined, outsider)).json(),
    );
    expect(other.data.some((m) => m.project_id === p)).toBe(false);
  });

  it("writes an operations-log entry and change events when a run reaches a terminal status", async () => {
    const p = await createProject("oplog");
    await release(p, "1.0.0");
    const started = await deploy(p, {
      environment: "production",
      version: "1.0.0",
      status: "in_progress",
      external_run_id: "run-ops",
      external_run_url: "https://ci.example.com/runs/1",
    });
    await app.drain();
    const before = await app.analytics.listOperations({ organization: ORG, project_id: p, limit: 50 });
    expect(before.data).toEqual([]);
    await deploy(
      p,
      { environment: "production", version: "1.0.0", status: "success", external_run_id: "run-ops" },
      200,
    );
    // A redelivery of the terminal report writes nothing more.
    await deploy(
      p,
      { environment: "production", version: "1.0.0", status: "success", external_run_id: "run-ops" },
      200,
    );
    await app.drain();
    const ops = await app.analytics.listOperations({ organization: ORG, project_id: p, limit: 50 });
    expect(ops.data).toHaveLength(1);
    expect(ops.data[0]).toMatchObject({
      id: `ops_dep_${started.id}_success`,
      entry_type: "Deployed",
      environment_slug: "production",
      version_label: "1.0.0",
      link: "https://ci.example.com/runs/1",
    });
    const events = await app.analytics.listEvents({
      organization: ORG,
      entity_type: "deployment",
      entity_id: started.id,
      limit: 50,
    });
    expect(events.data.map((e) => [e.action, e.field, e.new_value]).reverse()).toEqual([
      ["created", "*", expect.objectContaining({ status: "in_progress" })],
      ["updated", "status", "success"],
    ]);
  });
});

describe("publishing", () => {
  it("publishes a release once, by id or version, and records a change event", async () => {
    const p = await createProject("publish");
    const r = await release(p, "2.0.0-rc.1");
    expect(r).toMatchObject({ published_at: null, published_by: null, prerelease: false });
    // By version, as the webhook gateway's publish_release action addresses it.
    const res = await call("POST", `${base(p)}/releases/2.0.0-rc.1/publish`, { prerelease: true });
    expect(res.status, await res.clone().text()).toBe(200);
    const published = ReleaseSchema.parse(await res.json());
    expect(published).toMatchObject({ id: r.id, published_by: "admin@imbi.test", prerelease: true });
    expect(Date.parse(published.published_at ?? "")).not.toBeNaN();
    const read = ReleaseSchema.parse(await (await call("GET", `${base(p)}/releases/${r.id}`)).json());
    expect(read).toMatchObject({ published_at: published.published_at, prerelease: true });

    // Again (by id this time, with no body) is a 409 saying when it was published.
    const again = await call("POST", `${base(p)}/releases/${r.id}/publish`);
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await again.json()) as { detail: string };
    expect(problem.detail).toContain("already published");
    expect(problem.detail).toContain(published.published_at);
    const after = ReleaseSchema.parse(await (await call("GET", `${base(p)}/releases/${r.id}`)).json());
    expect(after).toMatchObject({ published_at: published.published_at, prerelease: true });

    await app.drain();
    const events = await app.analytics.listEvents({
      organization: ORG,
      entity_type: "release",
      entity_id: r.id,
      action: "updated",
      limit: 50,
    });
    expect(events.data.map((e) => [e.field, e.old_value, e.new_value])).toEqual([
      ["published_at", null, published.published_at],
    ]);
  });

  it("refuses to publish a blocked release with a 409 naming the blocker, until it is resolved", async () => {
    const p = await createProject("publish-blocked");
    const r = await release(p, "1.0.0");
    const filed = await call("POST", `${base(p)}/releases/1.0.0/blockers`, { reason: "CVE-2024-1234 open" });
    expect(filed.status).toBe(201);
    const blocker = BlockerSchema.parse(await filed.json());
    expect(blocker.release_id).toBe(r.id);
    expect(filed.headers.get("location")).toContain(`/releases/${r.id}/blockers`);

    const refused = await call("POST", `${base(p)}/releases/1.0.0/publish`, {});
    expect(refused.status).toBe(409);
    const problem = (await refused.json()) as {
      detail: string;
      errors: { location: string; message: string }[];
    };
    expect(problem.detail).toContain("CVE-2024-1234 open");
    expect(problem.detail).toContain("before publishing");
    expect(problem.errors).toEqual([{ location: `blockers.${blocker.id}`, message: "CVE-2024-1234 open" }]);
    const unpublished = ReleaseSchema.parse(await (await call("GET", `${base(p)}/releases/1.0.0`)).json());
    expect(unpublished).toMatchObject({ published_at: null, open_blockers: 1 });

    const resolved = await call("POST", `${base(p)}/releases/1.0.0/blockers/${blocker.id}/resolve`, {});
    expect(resolved.status).toBe(200);
    const ok = await call("POST", `${base(p)}/releases/1.0.0/publish`, {});
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(ReleaseSchema.parse(await ok.json()).prerelease).toBe(false);
  });

  it("answers 404 for a release the project does not have, and 400 for a malformed body", async () => {
    const p = await createProject("publish-missing");
    await release(p, "1.0.0");
    const missing = await call("POST", `${base(p)}/releases/9.9.9/publish`, {});
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toContain("'9.9.9'");
    const bad = await call("POST", `${base(p)}/releases/1.0.0/publish`, { prerelease: "yes" });
    expect(bad.status).toBe(400);
    const unknown = await call("POST", `${base(p)}/releases/1.0.0/publish`, { draft: true });
    expect(unknown.status).toBe(400);
  });
});

describe("scoring reads real deployments", () => {
  it("re-queues the score on a deployment and scores the latest status per environment", async () => {
    const policy = await call("POST", "/api/scoring/policies", {
      name: "Production deploys",
      category: "deployment_status",
      environment_slug: "production",
      weight: 100,
    });
    expect(policy.status, await policy.clone().text()).toBe(201);
    const p = await createProject("scored");
    await app.settle();
    const score = async () =>
      (
        (await (await call("GET", `/api/organizations/${ORG}/projects/${p}`)).json()) as {
          score: number | null;
        }
      ).score;
    expect(await score()).toBe(100); // no deployment: "missing" scores 100 by default
    await deploy(p, { environment: "production", ref: "v9.9.9", status: "failed", external_run_id: "s-1" });
    await app.settle();
    expect(await score()).toBe(0);
    await deploy(p, { environment: "production", ref: "v9.9.9", status: "success", external_run_id: "s-2" });
    await app.settle();
    expect(await score()).toBe(100);
    const history = await app.analytics.scoreHistory({ project_id: p, granularity: "raw" });
    expect(history.map((h) => h.change_reason)).toContain("deployment_status_change");
  });
});

describe("permissions", () => {
  it("lets a read-only member read but not write; another organization sees nothing", async () => {
    const p = await createProject("perms");
    const r = await release(p, "1.0.0");
    expect((await call("GET", `${base(p)}/deployments`, undefined, readonly)).status).toBe(200);
    expect((await call("GET", `${base(p)}/releases`, undefined, readonly)).status).toBe(200);
    expect((await call("GET", `/api/organizations/${ORG}/deployments`, undefined, readonly)).status).toBe(
      200,
    );
    const writes: [string, unknown][] = [
      [`${base(p)}/deployments`, { environment: "production", release_id: r.id, status: "pending" }],
      [`${base(p)}/releases`, { version: "2.0.0" }],
      [`${base(p)}/releases/${r.id}/blockers`, { reason: "no" }],
      [`${base(p)}/releases/${r.id}/publish`, {}],
      [`${base(p)}/releases/1.0.0/publish`, { prerelease: true }],
    ];
    for (const [path, body] of writes) {
      const res = await call("POST", path, body, readonly);
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain("Permission denied");
    }
    const unchanged = ReleaseSchema.parse(await (await call("GET", `${base(p)}/releases/1.0.0`)).json());
    expect(unchanged.published_at).toBeNull();
    expect((await call("GET", `${base(p)}/deployments`, undefined, outsider)).status).toBe(403);
    expect((await call("POST", `${base(p)}/releases/1.0.0/publish`, {}, outsider)).status).toBe(403);
    expect((await call("GET", `${base(p)}/deployments`, undefined, "")).status).toBe(401);
  });

  it("rejects a report naming nothing deployed, or an unknown environment, with a 400", async () => {
    const p = await createProject("bad-input");
    const none = await call("POST", `${base(p)}/deployments`, {
      environment: "production",
      status: "success",
    });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { detail: string }).detail).toContain("release_id, version, or ref");
    const env = await call("POST", `${base(p)}/deployments`, {
      environment: "moon",
      ref: "v1",
      status: "success",
    });
    expect(env.status).toBe(400);
    const status = await call("POST", `${base(p)}/deployments`, {
      environment: "production",
      ref: "v1",
      status: "done",
    });
    expect(status.status).toBe(400);
  });
});
