// The graph views' data model, free of React: the org graph's nodes and edges, clustering by team
// when the graph is too large to draw node by node, and the layered positions the ELK worker
// computes (with a cheap fallback for huge graphs, where ELK's layered algorithm is too slow).

export interface GNode {
  id: string;
  slug: string;
  name: string;
  team: string | null;
  archived?: boolean;
  project_types?: string[];
  external?: boolean;
}
export interface GEdge {
  source: string;
  target: string;
}

/** A node as drawn: a project, or a team standing for its projects. */
export interface DrawNode {
  id: string;
  kind: "project" | "team";
  label: string;
  /** Project slug, or team slug for clusters. */
  slug: string;
  team: string | null;
  /** Projects in the cluster (1 for a project). */
  count: number;
  width: number;
  height: number;
}
export interface DrawEdge {
  id: string;
  source: string;
  target: string;
  /** Dependencies the edge stands for (team → team edges aggregate). */
  count: number;
}
export interface DrawGraph {
  nodes: DrawNode[];
  edges: DrawEdge[];
}
export interface Positioned {
  positions: Record<string, { x: number; y: number }>;
}

/** Above this many projects the org graph starts clustered by team. */
export const CLUSTER_THRESHOLD = 150;
/**
 * Above this many drawn nodes ELK's layered algorithm is skipped for the grid layering (ELK takes
 * seconds at a few hundred nodes; measured 2.5 s for 300 nodes and 600 edges in Node).
 */
export const ELK_LIMIT = 400;
/**
 * ELK lays out with at most this many edges per node, the heaviest first: a dense graph (every
 * team depending on every other) otherwise takes minutes in its crossing minimisation. All edges
 * are still drawn.
 */
export const ELK_EDGES_PER_NODE = 3;

export const NODE_W = 180;
export const NODE_H = 44;
export const TEAM_W = 200;
export const TEAM_H = 64;

export const NO_TEAM = "(no team)";
export const teamNodeId = (team: string | null) => `team:${team ?? NO_TEAM}`;

/**
 * The graph to draw: every project of an expanded team (or every project when `clustered` is
 * false) is its own node; every other team is one node with its project count. Edges between
 * clusters are merged, counting the dependencies they stand for; self-loops inside a cluster drop.
 */
export function buildDrawGraph(
  nodes: GNode[],
  edges: GEdge[],
  opts: { clustered: boolean; expanded?: ReadonlySet<string> },
): DrawGraph {
  const expanded = opts.expanded ?? new Set<string>();
  const rep = new Map<string, string>();
  const out: DrawNode[] = [];
  const teams = new Map<string, DrawNode>();
  for (const n of nodes) {
    const teamKey = n.team ?? NO_TEAM;
    if (!opts.clustered || expanded.has(teamKey)) {
      rep.set(n.id, n.id);
      out.push({
        id: n.id,
        kind: "project",
        label: n.name,
        slug: n.slug,
        team: n.team,
        count: 1,
        width: NODE_W,
        height: NODE_H,
      });
      continue;
    }
    const id = teamNodeId(n.team);
    rep.set(n.id, id);
    const t = teams.get(id);
    if (t) t.count++;
    else {
      const node: DrawNode = {
        id,
        kind: "team",
        label: teamKey,
        slug: teamKey,
        team: n.team,
        count: 1,
        width: TEAM_W,
        height: TEAM_H,
      };
      teams.set(id, node);
      out.push(node);
    }
  }
  const merged = new Map<string, DrawEdge>();
  for (const e of edges) {
    const s = rep.get(e.source);
    const t = rep.get(e.target);
    if (!s || !t || s === t) continue;
    const id = `${s}->${t}`;
    const m = merged.get(id);
    if (m) m.count++;
    else merged.set(id, { id, source: s, target: t, count: 1 });
  }
  return { nodes: out, edges: [...merged.values()] };
}

/**
 * A layered layout without ELK, linear in nodes + edges: layer = longest path from a root
 * (cycles broken by visiting order), nodes of a layer in a column, columns wrapped into rows of
 * at most `perColumn` so 10,000 nodes stay within a drawable area.
 */
export function gridLayered(g: DrawGraph, perColumn = 60): Positioned {
  const out = new Map<string, string[]>();
  const indeg = new Map<string, number>();
  for (const n of g.nodes) {
    out.set(n.id, []);
    indeg.set(n.id, 0);
  }
  for (const e of g.edges) {
    out.get(e.source)?.push(e.target);
    indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  }
  const layer = new Map<string, number>();
  const queue: string[] = [];
  for (const n of g.nodes) if ((indeg.get(n.id) ?? 0) === 0) queue.push(n.id);
  const remaining = new Map(indeg);
  let head = 0;
  const visit = () => {
    while (head < queue.length) {
      const id = queue[head++] as string;
      const l = layer.get(id) ?? 0;
      layer.set(id, l);
      for (const t of out.get(id) ?? []) {
        layer.set(t, Math.max(layer.get(t) ?? 0, l + 1));
        const r = (remaining.get(t) ?? 0) - 1;
        remaining.set(t, r);
        if (r === 0) queue.push(t);
      }
    }
  };
  visit();
  // Nodes on cycles never reach in-degree 0: seed them one at a time.
  for (const n of g.nodes) {
    if (!layer.has(n.id) || (remaining.get(n.id) ?? 0) > 0) {
      if ((remaining.get(n.id) ?? 0) > 0) {
        remaining.set(n.id, 0);
        queue.push(n.id);
        visit();
      }
    }
  }
  const byLayer = new Map<number, DrawNode[]>();
  for (const n of g.nodes) {
    const l = layer.get(n.id) ?? 0;
    const list = byLayer.get(l);
    if (list) list.push(n);
    else byLayer.set(l, [n]);
  }
  const positions: Positioned["positions"] = {};
  let x = 0;
  for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
    const list = byLayer.get(l) ?? [];
    for (let i = 0; i < list.length; i += perColumn) {
      const col = list.slice(i, i + perColumn);
      col.forEach((n, j) => {
        positions[n.id] = { x, y: j * (TEAM_H + 16) };
      });
      x += TEAM_W + 80;
    }
  }
  return { positions };
}

/** ELK's input for a draw graph (layered, left to right: a dependant left of what it needs). */
export function toElk(g: DrawGraph) {
  return {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "60",
      "elk.spacing.nodeNode": "24",
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    },
    children: g.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: [...g.edges]
      .sort((a, b) => b.count - a.count)
      .slice(0, g.nodes.length * ELK_EDGES_PER_NODE)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}

/** Reads positions from ELK's answer. */
export function fromElk(laid: { children?: { id: string; x?: number; y?: number }[] }): Positioned {
  const positions: Positioned["positions"] = {};
  for (const c of laid.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return { positions };
}

/** The ids along a path (from `graph/path`) and its edges as `source->target` keys. */
export function pathSets(path: { nodes: { id: string }[]; edges: GEdge[] } | undefined) {
  return {
    nodes: new Set(path?.nodes.map((n) => n.id) ?? []),
    edges: new Set(path?.edges.map((e) => `${e.source}->${e.target}`) ?? []),
  };
}

/** Nodes on a cycle and the cycle edges (each project depends on the next; the last on the first). */
export function cycleSets(cycles: { id: string }[][]) {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const c of cycles) {
    c.forEach((n, i) => {
      nodes.add(n.id);
      const next = c[(i + 1) % c.length];
      if (next) edges.add(`${n.id}->${next.id}`);
    });
  }
  return { nodes, edges };
}

/** Projects matching the search text (name or slug, case-insensitive). */
export function matchText(nodes: GNode[], q: string): GNode[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return nodes;
  return nodes.filter((n) => n.name.toLowerCase().includes(needle) || n.slug.includes(needle));
}
