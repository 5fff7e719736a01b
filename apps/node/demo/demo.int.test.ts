import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CyclesSchema } from "../../../functions/graph/schemas.ts";
import { startTestApp, type TestApp } from "../../../test/harness/app.ts";
import { DEMO_PROJECTS } from "./dataset.ts";
import { loadDemo } from "./load.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ analytics: "embedded", kv: "memory" });
});
afterAll(() => app?.stop());

describe("demo organization", () => {
  it("loads through the API once, with the whole dependency graph", { timeout: 180_000 }, async () => {
    const api = (method: string, path: string, body?: unknown) =>
      app.json(method, path, body, app.adminToken);
    const report = await loadDemo(api);
    const declared = DEMO_PROJECTS.reduce((n, p) => n + p.deps.length, 0);
    expect(report).toEqual({ skipped: false, projects: DEMO_PROJECTS.length, dependencies: declared });
    expect(report.projects).toBeGreaterThanOrEqual(60);

    const graph = (await (await api("GET", "/api/organizations/demo/graph")).json()) as {
      nodes: { slug: string; team: string }[];
      edges: unknown[];
    };
    expect(graph.nodes).toHaveLength(DEMO_PROJECTS.length);
    expect(graph.edges).toHaveLength(declared);

    // The blueprint applies: defaults and typed attributes are on the projects.
    const list = (await (
      await api("GET", "/api/organizations/demo/projects?filter=tier:eq:1&limit=500")
    ).json()) as {
      data: { slug: string }[];
    };
    expect(list.data.map((p) => p.slug).sort()).toEqual(
      DEMO_PROJECTS.filter((p) => p.tier === 1)
        .map((p) => p.slug)
        .sort(),
    );
    // Dependencies are declared in layer order, so the demo graph is acyclic.
    const cycles = CyclesSchema.parse(
      await (await api("GET", "/api/organizations/demo/graph/cycles")).json(),
    );
    expect(cycles).toMatchObject({ cycles: [], components: 0, truncated: false });

    // The demo's policies score every project in the background, with levels and varied scores.
    await app.settle();
    const scored = (await (
      await api("GET", "/api/organizations/demo/projects?fields=score&limit=500")
    ).json()) as {
      data: { score: number | null }[];
    };
    const scores = scored.data.map((p) => p.score);
    expect(scores.every((s) => typeof s === "number")).toBe(true);
    expect(new Set(scores).size).toBeGreaterThan(3);
    const rollup = (await (await api("GET", "/api/organizations/demo/scores/rollup")).json()) as {
      data: { scored: number; levels: Record<string, number> }[];
    };
    expect(rollup.data.reduce((n, r) => n + r.scored, 0)).toBe(DEMO_PROJECTS.length);
    expect(Object.keys(Object.assign({}, ...rollup.data.map((r) => r.levels))).length).toBeGreaterThan(1);

    expect(await loadDemo(api)).toEqual({ skipped: true, projects: 0, dependencies: 0 });
  });
});
