import type { Graph } from "../graph/graph.ts";
import { ag, json, prop, run } from "./dependency_sql.ts";
import type { OrgRef } from "./org.ts";

/** A dependency cycle: each project depends on the next, the last on the first. */
export type Cycle = { id: string; slug: string }[];

/**
 * Dependency cycles in `org`: the edge list is read in one statement, strongly connected
 * components are found with Tarjan's algorithm, and simple cycles are enumerated inside each
 * component, each rooted at its smallest id (so rotations are never repeated), up to `limit`.
 */
export async function findCycles(
  graph: Graph,
  org: OrgRef,
  limit: number,
): Promise<{ cycles: Cycle[]; components: number; truncated: boolean }> {
  const g = `"${graph.graphName}"`;
  const rows = await run(
    graph,
    `SELECT ${prop("a", "id")}::text AS s, ${prop("a", "slug")}::text AS ss,
            ${prop("b", "id")}::text AS t, ${prop("b", "slug")}::text AS ts
     FROM ${g}."DEPENDS_ON" e JOIN ${g}."Project" a ON a.id = e.start_id JOIN ${g}."Project" b ON b.id = e.end_id
     WHERE ${prop("a", "org_id")} = ${ag(1)} AND ${prop("b", "org_id")} = ${ag(1)}`,
    [json(org.id)],
  );
  const slugs = new Map<string, string>();
  const adj = new Map<string, string[]>();
  for (const r of rows) {
    const [s, t] = [String(r.s), String(r.t)];
    slugs.set(s, String(r.ss));
    slugs.set(t, String(r.ts));
    adj.set(s, [...(adj.get(s) ?? []), t]);
  }
  for (const list of adj.values()) list.sort();
  const components = stronglyConnected([...slugs.keys()].sort(), adj).filter((c) => c.length > 1);
  const cycles: string[][] = [];
  // Enumeration is exponential in the worst case: a step budget bounds it next to the count.
  let budget = 200_000;
  let truncated = false;
  for (const comp of components.sort((a, b) => (a[0] as string).localeCompare(b[0] as string))) {
    const members = [...comp].sort();
    for (let i = 0; i < members.length && !truncated; i++) {
      const root = members[i] as string;
      const allowed = new Set(members.slice(i));
      const path = [root];
      const onPath = new Set(path);
      const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
      while (stack.length > 0) {
        if (--budget < 0 || cycles.length >= limit) {
          truncated = true;
          break;
        }
        const top = stack[stack.length - 1] as { node: string; next: number };
        const succ = adj.get(top.node) ?? [];
        if (top.next >= succ.length) {
          stack.pop();
          onPath.delete(path.pop() as string);
          continue;
        }
        const n = succ[top.next++] as string;
        if (n === root) cycles.push([...path]);
        else if (allowed.has(n) && !onPath.has(n)) {
          path.push(n);
          onPath.add(n);
          stack.push({ node: n, next: 0 });
        }
      }
    }
    if (truncated) break;
  }
  return {
    cycles: cycles.map((c) => c.map((id) => ({ id, slug: slugs.get(id) ?? id }))),
    components: components.length,
    truncated,
  };
}

/** Tarjan's strongly connected components, iterative (no recursion limit on deep graphs). */
export function stronglyConnected(nodes: readonly string[], adj: ReadonlyMap<string, readonly string[]>) {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; next: number };
      const succ = adj.get(top.node) ?? [];
      if (top.next < succ.length) {
        const n = succ[top.next++] as string;
        if (!index.has(n)) {
          index.set(n, counter);
          low.set(n, counter++);
          stack.push(n);
          onStack.add(n);
          work.push({ node: n, next: 0 });
        } else if (onStack.has(n))
          low.set(top.node, Math.min(low.get(top.node) as number, index.get(n) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let n: string;
        do {
          n = stack.pop() as string;
          onStack.delete(n);
          comp.push(n);
        } while (n !== top.node);
        out.push(comp);
      }
    }
  }
  return out;
}
