import { describe, expect, it } from "vitest";
import { layout } from "@/workers/layout.worker";
import {
  buildDrawGraph,
  CLUSTER_THRESHOLD,
  cycleSets,
  ELK_LIMIT,
  type GEdge,
  type GNode,
  gridLayered,
  matchText,
  teamNodeId,
} from "./model";

/** A synthetic organization: `n` projects in `teams` teams, each depending on up to 3 earlier ones. */
function synthetic(n: number, teams: number): { nodes: GNode[]; edges: GEdge[] } {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const nodes: GNode[] = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    slug: `project-${i}`,
    name: `Project ${i}`,
    team: `team-${i % teams}`,
  }));
  const edges: GEdge[] = [];
  for (let i = 1; i < n; i++)
    for (let k = 0; k < 3; k++) {
      const j = Math.floor(rand() * i);
      edges.push({ source: `p${i}`, target: `p${j}` });
    }
  return { nodes, edges };
}

describe("org graph clustering", () => {
  it("draws a node per team with its project count, and merges the edges between teams", () => {
    const nodes: GNode[] = [
      { id: "a", slug: "a", name: "A", team: "red" },
      { id: "b", slug: "b", name: "B", team: "red" },
      { id: "c", slug: "c", name: "C", team: "blue" },
      { id: "d", slug: "d", name: "D", team: null },
    ];
    const edges = [
      { source: "a", target: "c" },
      { source: "b", target: "c" },
      { source: "a", target: "b" },
      { source: "d", target: "a" },
    ];
    const g = buildDrawGraph(nodes, edges, { clustered: true });
    expect(g.nodes.map((n) => [n.id, n.kind, n.count])).toEqual([
      ["team:red", "team", 2],
      ["team:blue", "team", 1],
      [teamNodeId(null), "team", 1],
    ]);
    expect(g.edges).toEqual([
      { id: "team:red->team:blue", source: "team:red", target: "team:blue", count: 2 },
      { id: "team:(no team)->team:red", source: "team:(no team)", target: "team:red", count: 1 },
    ]);
    const open = buildDrawGraph(nodes, edges, { clustered: true, expanded: new Set(["red"]) });
    expect(open.nodes.map((n) => n.id)).toEqual(["a", "b", "team:blue", "team:(no team)"]);
    expect(open.edges.map((e) => e.id).sort()).toEqual([
      "a->b",
      "a->team:blue",
      "b->team:blue",
      "team:(no team)->a",
    ]);
  });

  it("filters by search text on name or slug", () => {
    const nodes: GNode[] = [
      { id: "1", slug: "order-service", name: "Order Service", team: null },
      { id: "2", slug: "cart", name: "Cart", team: null },
    ];
    expect(matchText(nodes, "ORDER").map((n) => n.id)).toEqual(["1"]);
    expect(matchText(nodes, "  ")).toHaveLength(2);
  });

  it("marks every node and edge of a cycle, closing it from the last to the first", () => {
    const c = cycleSets([[{ id: "a" }, { id: "b" }, { id: "c" }]]);
    expect([...c.nodes]).toEqual(["a", "b", "c"]);
    expect([...c.edges]).toEqual(["a->b", "b->c", "c->a"]);
  });
});

describe("10,000 projects", () => {
  const big = synthetic(10_000, 40);

  it("cluster into teams that ELK lays out (the view a large organization opens on)", async () => {
    expect(big.nodes.length).toBeGreaterThan(CLUSTER_THRESHOLD);
    const g = buildDrawGraph(big.nodes, big.edges, { clustered: true });
    expect(g.nodes).toHaveLength(40);
    expect(g.nodes.reduce((n, x) => n + x.count, 0)).toBe(10_000);
    const { positions } = await layout(g);
    expect(Object.keys(positions)).toHaveLength(40);
    for (const p of Object.values(positions)) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });

  it("lay out unclustered too (the grid layering above ELK's limit), every node placed, dependants left of dependencies", async () => {
    const g = buildDrawGraph(big.nodes, big.edges, { clustered: false });
    expect(g.nodes.length).toBeGreaterThan(ELK_LIMIT);
    const { positions } = await layout(g);
    expect(Object.keys(positions)).toHaveLength(10_000);
    const distinct = new Set(Object.values(positions).map((p) => `${p.x},${p.y}`));
    expect(distinct.size).toBe(10_000);
    // p1 depends on p0 (its only earlier project): the dependency sits in a later column.
    expect(positions.p0?.x).toBeGreaterThan(positions.p1?.x ?? Number.POSITIVE_INFINITY);
  });

  it("the grid layering puts a dependency after its dependant", () => {
    const g = buildDrawGraph(
      [
        { id: "a", slug: "a", name: "A", team: null },
        { id: "b", slug: "b", name: "B", team: null },
      ],
      [{ source: "a", target: "b" }],
      { clustered: false },
    );
    const { positions } = gridLayered(g);
    expect(positions.b?.x).toBeGreaterThan(positions.a?.x ?? 0);
  });
});
