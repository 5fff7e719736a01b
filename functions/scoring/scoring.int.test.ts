// Scoring end to end over HTTP on real stores (PGlite + AGE, the suite's ClickHouse, Redis behind
// the bridge), with the in-process queue and its consumer running (debounce 0).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRole } from "../../lib/identity/roles.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedBlueprints, seedCatalog } from "../../test/harness/catalog.ts";

let app: TestApp;
const ORG = "acme";

const call = (method: string, path: string, body?: unknown, token = app.adminToken, headers = {}) =>
  app.json(method, `/api${path}`, body, token, headers);

async function createProject(slug: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call("POST", `/organizations/${ORG}/projects`, {
    slug,
    name: slug,
    team: "core",
    project_types: ["worker"],
    ...extra,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const storedScore = async (id: string) =>
  ((await (await call("GET", `/organizations/${ORG}/projects/${id}`)).json()) as { score: number | null })
    .score;

beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, ORG);
  await seedBlueprints(app);
});

afterAll(async () => {
  await app?.stop();
});

describe("scoring policies", () => {
  it("creates, reads, lists, patches and deletes a policy", async () => {
    const created = await call("POST", "/scoring/policies", {
      name: "Language",
      category: "attribute",
      attribute_name: "language",
      weight: 40,
      value_score_map: { typescript: 100, python: 80, go: 90 },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const body = (await created.json()) as { slug: string; targets: string[]; enabled: boolean };
    expect(body).toMatchObject({ slug: "language", targets: [], enabled: true });
    expect(created.headers.get("location")).toBe("/api/scoring/policies/language");

    const got = await call("GET", "/scoring/policies/language");
    expect(got.status).toBe(200);
    const etag = got.headers.get("etag") as string;

    const list = await call("GET", "/scoring/policies?category=attribute&attribute_name=language");
    expect(((await list.json()) as { data: { slug: string }[] }).data.map((p) => p.slug)).toEqual([
      "language",
    ]);
    const none = await call("GET", "/scoring/policies?category=age");
    expect(((await none.json()) as { data: unknown[] }).data).toEqual([]);

    const patched = await call(
      "PATCH",
      "/scoring/policies/language",
      [{ op: "replace", path: "/weight", value: 60 }],
      app.adminToken,
      {
        "If-Match": etag,
      },
    );
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(((await patched.json()) as { weight: number }).weight).toBe(60);
    const stale = await call(
      "PATCH",
      "/scoring/policies/language",
      [{ op: "replace", path: "/weight", value: 1 }],
      app.adminToken,
      {
        "If-Match": etag,
      },
    );
    expect(stale.status).toBe(412);

    expect((await call("DELETE", "/scoring/policies/language")).status).toBe(204);
    expect((await call("GET", "/scoring/policies/language")).status).toBe(404);
  });

  it("rejects invalid policies with 400 naming the problem, duplicates with 409", async () => {
    const overlap = await call("POST", "/scoring/policies", {
      name: "Tier",
      category: "attribute",
      attribute_name: "tier",
      range_score_map: { "1..3": 100, "2..4": 50 },
    });
    expect(overlap.status).toBe(400);
    expect(overlap.headers.get("content-type")).toMatch(/problem\+json/);
    expect(((await overlap.json()) as { detail: string }).detail).toMatch(/overlap/);

    const badWeight = await call("POST", "/scoring/policies", {
      name: "Heavy",
      category: "presence",
      attribute_name: "notes",
      weight: 101,
    });
    expect(badWeight.status).toBe(400);
    expect(JSON.stringify(await badWeight.json())).toContain("weight");

    const badPatch = { name: "Docs", slug: "docs-link", category: "link_presence", link_slug: "docs" };
    expect((await call("POST", "/scoring/policies", badPatch)).status).toBe(201);
    expect((await call("POST", "/scoring/policies", badPatch)).status).toBe(409);
    // A patch that breaks the policy is refused and leaves it unchanged.
    const broken = await call("PATCH", "/scoring/policies/docs-link", [{ op: "remove", path: "/link_slug" }]);
    expect(broken.status).toBe(400);
    expect(
      ((await (await call("GET", "/scoring/policies/docs-link")).json()) as { link_slug: string }).link_slug,
    ).toBe("docs");
    expect((await call("DELETE", "/scoring/policies/docs-link")).status).toBe(204);
  });

  it("lets only administrators write policies; members read them", async () => {
    const dev = await app.user("dev@acme.test", [{ org: ORG, role: "developer" }]);
    const res = await call(
      "POST",
      "/scoring/policies",
      { name: "X", category: "presence", attribute_name: "notes" },
      dev.token,
    );
    expect(res.status).toBe(403);
    expect((await call("GET", "/scoring/policies", undefined, dev.token)).status).toBe(200);
    expect((await call("GET", "/scoring/policies", undefined, "")).status).toBe(401);
  });

  it("grants policy writes to a role in the system organization, reads to members of any", async () => {
    await createRole(app.db.graph, {
      slug: "policy-editor",
      name: "Policy editor",
      permissions: ["scoring_policy:write", "scoring_policy:delete"],
    });
    const system = await app.user("policy-system@acme.test", [{ org: "default", role: "policy-editor" }]);
    const here = await app.user("policy-acme@acme.test", [{ org: ORG, role: "policy-editor" }]);
    const loner = await app.user("policy-loner@acme.test");
    // A type no project has: nothing is rescored because of this test.
    const policy = {
      name: "Nobody's notes",
      category: "presence",
      attribute_name: "notes",
      targets: ["none"],
    };
    const denied = await call("POST", "/scoring/policies", policy, here.token);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { detail: string }).detail).toContain("system organization 'default'");

    const created = await call("POST", "/scoring/policies", policy, system.token);
    expect(created.status, await created.clone().text()).toBe(201);
    const patch = [{ op: "replace", path: "/weight", value: 5 }];
    const patched = await app.request("/api/scoring/policies/nobody-s-notes", {
      method: "PATCH",
      headers: { "Content-Type": "application/json-patch+json", Authorization: `Bearer ${system.token}` },
      body: JSON.stringify(patch),
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect((await call("DELETE", "/scoring/policies/nobody-s-notes", undefined, here.token)).status).toBe(
      403,
    );

    // Reading needs scoring_policy:read somewhere: a user of no organization has it nowhere.
    expect((await call("GET", "/scoring/policies", undefined, loner.token)).status).toBe(403);
    expect((await call("GET", "/scoring/policies/nobody-s-notes", undefined, loner.token)).status).toBe(403);
    const member = await app.user("policy-member@acme.test", [{ org: ORG, role: "default" }]);
    expect((await call("GET", "/scoring/policies/nobody-s-notes", undefined, member.token)).status).toBe(200);

    expect((await call("DELETE", "/scoring/policies/nobody-s-notes", undefined, system.token)).status).toBe(
      204,
    );
    await app.settle();
    const rows = (await app.analytics.listAudit({ actor: system.email, limit: 10 })).data;
    expect(rows.map((r) => [r.event, r.subject]).sort()).toEqual([
      ["scoring_policy_created", "nobody-s-notes"],
      ["scoring_policy_deleted", "nobody-s-notes"],
      ["scoring_policy_updated", "nobody-s-notes"],
    ]);
  });
});

describe("scores follow writes", () => {
  let a: string;

  it("scores a created project in the background and records its history", async () => {
    await call("POST", "/scoring/policies", {
      name: "Language",
      category: "attribute",
      attribute_name: "language",
      weight: 30,
      value_score_map: { typescript: 100, python: 50 },
    });
    await call("POST", "/scoring/policies", {
      name: "Docs link",
      category: "link_presence",
      link_slug: "docs",
      weight: 70,
    });
    await app.settle();
    a = await createProject("alpha", { language: "python" });
    await app.settle();
    // 30 × 50 + 70 × 0 over 100.
    expect(await storedScore(a)).toBe(15);
    const history = await app.analytics.scoreHistory({ project_id: a, granularity: "raw" });
    expect(history.map((h) => [h.score, h.previous_score, h.change_reason])).toEqual([
      [15, null, "project_change"],
    ]);
  });

  it("rescores on a patch, writes one more history row, and keeps the ETag stable across rescoring", async () => {
    const before = await call("GET", `/organizations/${ORG}/projects/${a}`);
    const etag = before.headers.get("etag") as string;
    const res = await call(
      "PATCH",
      `/organizations/${ORG}/projects/${a}`,
      [
        { op: "replace", path: "/language", value: "typescript" },
        { op: "add", path: "/links/docs", value: "https://docs.example.com/alpha" },
      ],
      app.adminToken,
      { "If-Match": etag },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const afterWrite = res.headers.get("etag") as string;
    await app.settle();
    expect(await storedScore(a)).toBe(100);
    const history = await app.analytics.scoreHistory({ project_id: a, granularity: "raw" });
    expect(history.map((h) => [h.score, h.previous_score])).toEqual([
      [15, null],
      [100, 15],
    ]);
    // The rescore changed `score` but not the ETag, so a client's If-Match still holds.
    const again = await call("GET", `/organizations/${ORG}/projects/${a}`);
    expect(again.headers.get("etag")).toBe(afterWrite);
  });

  it("shows the live breakdown on the project and on /score", async () => {
    const res = await call("GET", `/organizations/${ORG}/projects/${a}?breakdown=true`);
    const body = (await res.json()) as {
      score: number;
      score_breakdown: {
        score: number;
        breakdown: { policies: { policy: string; mapped_score: number; contribution: number }[] };
      };
    };
    expect(body.score).toBe(100);
    expect(body.score_breakdown.score).toBe(100);
    expect(
      body.score_breakdown.breakdown.policies.map((p) => [p.policy, p.mapped_score, p.contribution]),
    ).toEqual([
      ["docs-link", 100, 70],
      ["language", 100, 30],
    ]);
    const score = await call("GET", `/organizations/${ORG}/projects/${a}/score`);
    expect(score.status).toBe(200);
    expect(await score.json()).toMatchObject({
      project_id: a,
      score: 100,
      stored_score: 100,
      previous_score: 15,
    });
    // Another organization's URL does not reach the project.
    await app.org("elsewhere");
    const foreign = await call("GET", `/organizations/elsewhere/projects/${a}/score`);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("rescores every targeted project when a policy changes", async () => {
    const b = await createProject("beta", { language: "typescript" });
    await app.settle();
    expect(await storedScore(b)).toBe(30);
    const res = await call("PATCH", "/scoring/policies/docs-link", [
      { op: "replace", path: "/weight", value: 10 },
    ]);
    expect(res.status).toBe(200);
    await app.settle();
    // 30 × 100 + 10 × 0 over 40.
    expect(await storedScore(b)).toBe(75);
    expect(await storedScore(a)).toBe(100);
    const last = (await app.analytics.scoreHistory({ project_id: b, granularity: "raw" })).at(-1);
    expect(last).toMatchObject({ score: 75, previous_score: 30, change_reason: "policy_change" });
  });

  it("clears the score (no history) when no policy applies any more", async () => {
    await call("PATCH", "/scoring/policies/docs-link", [{ op: "replace", path: "/targets", value: ["api"] }]);
    await call("PATCH", "/scoring/policies/language", [{ op: "replace", path: "/enabled", value: false }]);
    await app.settle();
    const b = await call("GET", `/organizations/${ORG}/projects?fields=slug,score`);
    const scores = ((await b.json()) as { data: { slug: string; score: number | null }[] }).data;
    expect(scores.every((p) => p.score === null)).toBe(true);
    await call("PATCH", "/scoring/policies/docs-link", [{ op: "replace", path: "/targets", value: [] }]);
    await call("PATCH", "/scoring/policies/language", [{ op: "replace", path: "/enabled", value: true }]);
    await app.settle();
    expect(await storedScore(a)).toBe(100);
  });
});

describe("relationships, blueprints and rescore requests", () => {
  let api: string;
  let db: string;

  it("rescores both ends of a new dependency under a relationship policy, listing matched neighbours", async () => {
    const created = await call("POST", "/scoring/policies", {
      name: "Depends only on typed services",
      slug: "deps-typed",
      category: "condition",
      weight: 100,
      targets: ["worker"],
      condition: {
        type: "relationship",
        edge: "DEPENDS_ON",
        direction: "outgoing",
        quantifier: "all",
        where: { type: "attribute", attribute: "language", op: "eq", value: "typescript" },
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    api = await createProject("gamma", { language: "typescript" });
    db = await createProject("delta", { language: "python" });
    await app.settle();
    const before = await storedScore(api);
    const res = await call("POST", `/organizations/${ORG}/projects/${api}/relationships/${db}`);
    expect(res.status, await res.clone().text()).toBe(201);
    await app.settle();
    // gamma now depends on a python service: the condition fails, so its score drops.
    const after = await storedScore(api);
    expect(after).toBeLessThan(before as number);
    const last = (await app.analytics.scoreHistory({ project_id: api, granularity: "raw" })).at(-1);
    expect(last?.change_reason).toBe("dependency_change");
    const score = (await (await call("GET", `/organizations/${ORG}/projects/${api}/score`)).json()) as {
      breakdown: {
        policies: { policy: string; condition_result?: boolean; matched_neighbours?: string[] }[];
      };
    };
    const deps = score.breakdown.policies.find((p) => p.policy === "deps-typed");
    expect(deps).toMatchObject({ condition_result: false, matched_neighbours: [] });
    // delta's language changes: gamma (which depends on it) is rescored too.
    await call("PATCH", `/organizations/${ORG}/projects/${db}`, [
      { op: "replace", path: "/language", value: "typescript" },
    ]);
    await app.settle();
    expect(await storedScore(api)).toBeGreaterThan(after as number);
    expect((await call("DELETE", "/scoring/policies/deps-typed")).status).toBe(204);
    await app.settle();
  });

  it("rescores when a Project blueprint changes the attributes a policy may read", async () => {
    await call("POST", "/scoring/policies", {
      name: "Has a runbook",
      slug: "runbook",
      category: "presence",
      attribute_name: "runbook",
      weight: 100,
    });
    await app.settle();
    const before = (await (await call("GET", `/organizations/${ORG}/projects/${api}/score`)).json()) as {
      breakdown: { skipped: { policy: string }[] };
    };
    // No blueprint defines `runbook` yet: the policy is skipped, as in the reference.
    expect(before.breakdown.skipped.map((s) => s.policy)).toContain("runbook");
    const bp = await call("POST", "/blueprints", {
      name: "Runbooks",
      kind: "node",
      type: "Project",
      schema: { type: "object", properties: { runbook: { type: "string" } } },
    });
    expect(bp.status, await bp.clone().text()).toBe(201);
    await app.settle();
    const last = (await app.analytics.scoreHistory({ project_id: api, granularity: "raw" })).at(-1);
    expect(last?.change_reason).toBe("blueprint_change");
    expect((await call("DELETE", "/scoring/policies/runbook")).status).toBe(204);
    await app.settle();
  });

  it("queues rescoring on request, with permission checks", async () => {
    const dev = await app.user("dev2@acme.test", [{ org: ORG, role: "developer" }]);
    const one = await call("POST", "/scoring/rescore", { organization: ORG, project_id: api }, dev.token);
    expect(one.status, await one.clone().text()).toBe(202);
    expect(await one.json()).toMatchObject({ requested: 1, enqueued: 1, queue: "memory" });
    // Rescoring everything needs rescore_all (administrators here).
    expect((await call("POST", "/scoring/rescore", { organization: ORG, all: true }, dev.token)).status).toBe(
      403,
    );
    const all = await call("POST", "/scoring/rescore", { organization: ORG, all: true });
    expect(((await all.json()) as { requested: number }).requested).toBe(4);
    const byType = await call("POST", "/scoring/rescore", { project_type: "api" });
    expect(((await byType.json()) as { requested: number }).requested).toBe(0);
    expect((await call("POST", "/scoring/rescore", { all: true, project_type: "api" })).status).toBe(400);
    expect((await call("POST", "/scoring/rescore", { project_id: api })).status).toBe(400);
    expect((await call("POST", "/scoring/rescore", { policy: "nope" })).status).toBe(404);
    await app.settle();
  });

  it("decides rescore permissions where the request says: the organization, or globally without one", async () => {
    await createRole(app.db.graph, {
      slug: "rescorer",
      name: "Rescorer",
      permissions: ["scoring_policy:rescore", "scoring_policy:rescore_all"],
    });
    const system = await app.user("rescore-system@acme.test", [{ org: "default", role: "rescorer" }]);
    const here = await app.user("rescore-acme@acme.test", [{ org: ORG, role: "rescorer" }]);
    const loner = await app.user("rescore-loner@acme.test");
    const everything = { project_type: "no-such-type" };
    const status = async (body: object, token: string) =>
      (await call("POST", "/scoring/rescore", body, token)).status;
    expect(await status(everything, here.token)).toBe(403);
    expect(await status(everything, system.token)).toBe(202);
    expect(await status({ ...everything, organization: ORG }, here.token)).toBe(202);
    expect(await status({ ...everything, organization: ORG }, system.token)).toBe(403);
    expect(await status({ organization: ORG, project_id: api }, loner.token)).toBe(403);
    expect(await status({ organization: ORG, project_id: api }, here.token)).toBe(202);
    await app.settle();
    const rows = (await app.analytics.listAudit({ actor: here.email, event: "rescore_requested", limit: 10 }))
      .data;
    expect(rows.map((r) => r.organization).sort()).toEqual([ORG, ORG]);
  });
});

describe("levels, rollups, history and trends", () => {
  it("stores levels and rolls current scores up by team and project type", async () => {
    const bad = await call("PUT", `/organizations/${ORG}/scores/levels`, {
      levels: [
        { name: "Gold", min_score: 90 },
        { name: "Gold", min_score: 50 },
      ],
    });
    expect(bad.status).toBe(400);
    const put = await call("PUT", `/organizations/${ORG}/scores/levels`, {
      levels: [
        { name: "Gold", min_score: 90 },
        { name: "Bronze", min_score: 20 },
      ],
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { levels: { name: string }[] }).levels.map((l) => l.name)).toEqual([
      "Bronze",
      "Gold",
    ]);
    const rollup = (await (
      await call("GET", `/organizations/${ORG}/scores/rollup?dimension=team`)
    ).json()) as {
      data: {
        key: string;
        projects: number;
        scored: number;
        avg_score: number;
        levels: Record<string, number>;
      }[];
    };
    const projects = (await (await call("GET", `/organizations/${ORG}/projects?fields=score`)).json()) as {
      data: { score: number | null }[];
    };
    const scores = projects.data.map((p) => p.score).filter((s): s is number => s !== null);
    const core = rollup.data.find((r) => r.key === "core");
    expect(core?.projects).toBe(4);
    expect(core?.scored).toBe(scores.length);
    expect(core?.avg_score).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 2);
    const expected = {
      Gold: scores.filter((s) => s >= 90).length,
      Bronze: scores.filter((s) => s >= 20 && s < 90).length,
    };
    const none = scores.filter((s) => s < 20).length;
    expect(core?.levels).toEqual({
      ...Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)),
      ...(none ? { none } : {}),
    });
    const byType = (await (
      await call("GET", `/organizations/${ORG}/scores/rollup?dimension=project_type`)
    ).json()) as {
      data: { key: string }[];
    };
    expect(byType.data.map((r) => r.key)).toEqual(["worker"]);
    const score = (await (await call("GET", `/organizations/${ORG}/projects?fields=id,slug`)).json()) as {
      data: { id: string; slug: string }[];
    };
    const alpha = score.data.find((p) => p.slug === "alpha")?.id;
    const live = (await (await call("GET", `/organizations/${ORG}/projects/${alpha}/score`)).json()) as {
      level: string;
    };
    expect(live.level).toBe("Gold");
  });

  it("serves a project's history (raw and daily), its trend, and the team series", async () => {
    const list = (await (await call("GET", `/organizations/${ORG}/projects?fields=id,slug`)).json()) as {
      data: { id: string; slug: string }[];
    };
    const alpha = list.data.find((p) => p.slug === "alpha")?.id as string;
    const raw = (await (
      await call("GET", `/organizations/${ORG}/projects/${alpha}/score/history`)
    ).json()) as {
      data: { score: number }[];
    };
    expect(raw.data.length).toBeGreaterThanOrEqual(2);
    const day = (await (
      await call("GET", `/organizations/${ORG}/projects/${alpha}/score/history?granularity=day`)
    ).json()) as {
      data: { score: number; samples: number }[];
    };
    expect(day.data).toHaveLength(1);
    expect(day.data[0]?.samples).toBe(raw.data.length);
    expect(day.data[0]?.score).toBe(raw.data.at(-1)?.score);
    const trend = (await (
      await call("GET", `/organizations/${ORG}/projects/${alpha}/score/trend?days=7`)
    ).json()) as {
      current: number;
      previous: number;
      delta: number;
      direction: string;
    };
    // First scored inside the window: the trend runs from its first score (15) to now (100).
    expect(trend).toMatchObject({ current: 100, previous: 15, delta: 85, direction: "up" });
    const teams = (await (
      await call("GET", `/organizations/${ORG}/scores/history-by-team?granularity=day`)
    ).json()) as {
      data: { team: string; projects: number }[];
    };
    expect(teams.data.map((t) => t.team)).toEqual(["core"]);
    expect(teams.data[0]?.projects).toBe(4);
    expect(
      (await call("GET", `/organizations/${ORG}/projects/${alpha}/score/history?granularity=week`)).status,
    ).toBe(400);
    expect((await call("GET", `/organizations/other/scores/rollup`)).status).toBe(404);
  });
});

describe("what needs attention", () => {
  it("lists projects by score, lowest (and unscored) first, across keyset pages", async () => {
    // Make one project unscored (as if no policy applied to it).
    const walk = async (sort: string) => {
      const seen: (number | null)[] = [];
      const ids = new Set<string>();
      let url: string | null = `/organizations/${ORG}/projects?sort=${sort}&limit=2&fields=id,score`;
      while (url) {
        const res = await call("GET", url);
        expect(res.status, await res.clone().text()).toBe(200);
        const page = (await res.json()) as {
          data: { id: string; score: number | null }[];
          next_cursor: string | null;
        };
        for (const p of page.data) {
          ids.add(p.id);
          seen.push(p.score);
        }
        url = page.next_cursor
          ? `/organizations/${ORG}/projects?sort=${sort}&limit=2&fields=id,score&cursor=${page.next_cursor}`
          : null;
      }
      return { seen, ids };
    };
    await app.db.graph.query("MATCH (p:Project) WHERE p.slug = 'beta' SET p.score = null RETURN p.id");
    const up = await walk("score");
    const down = await walk("-score");
    expect(up.ids.size).toBe(4);
    expect(up.seen.length).toBe(4);
    const asNumber = (s: number | null) => s ?? -1;
    expect(up.seen.map(asNumber)).toEqual([...up.seen.map(asNumber)].sort((a, b) => a - b));
    expect(up.seen[0]).toBeNull();
    expect(down.seen.map(asNumber)).toEqual([...up.seen.map(asNumber)].reverse());
  });
});

describe("deleting a project", () => {
  it("rescores the projects whose relationship conditions counted it", async () => {
    const created = await call("POST", "/scoring/policies", {
      name: "No python dependencies",
      slug: "no-python-deps",
      category: "condition",
      weight: 100,
      targets: ["worker"],
      condition: {
        type: "relationship",
        quantifier: "none",
        where: { type: "attribute", attribute: "language", op: "eq", value: "python" },
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const user = await createProject("epsilon", { language: "typescript" });
    const dep = await createProject("zeta", { language: "python" });
    expect((await call("POST", `/organizations/${ORG}/projects/${user}/relationships/${dep}`)).status).toBe(
      201,
    );
    await app.settle();
    const before = (await storedScore(user)) as number;
    expect((await call("DELETE", `/organizations/${ORG}/projects/${dep}`)).status).toBe(204);
    await app.settle();
    expect(await storedScore(user)).toBeGreaterThan(before);
    const last = (await app.analytics.scoreHistory({ project_id: user, granularity: "raw" })).at(-1);
    expect(last?.change_reason).toBe("dependency_change");
  });
});
