// A project's dependency graph (the project page's graph view): the transitive closure from
// GET …/dependencies/closure (upstream, downstream or both), cut at the chosen depth; the edges
// among those projects from the organization graph (one cached request); cycles from
// GET …/graph/cycles marked; and the shortest path to another project (GET …/graph/path)
// highlighted. View state (depth, direction, path target) lives in the URL.
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { EmptyState, Loading, ProblemAlert } from "@/components/states";
import { Label, Select } from "@/components/ui/input";
import { GraphCanvas, type NodeMarks } from "./GraphCanvas";
import { buildDrawGraph, cycleSets, type GEdge, type GNode, pathSets } from "./model";
import { useClosure, useCycles, useOrgGraph, usePath } from "./queries";
import { useLayout } from "./useLayout";

export interface ProjectGraphProps {
  org: string;
  projectId: string;
}

type Direction = "downstream" | "upstream" | "both";
const DIRECTIONS: { value: Direction; label: string }[] = [
  { value: "downstream", label: "Depends on" },
  { value: "upstream", label: "Depended on by" },
  { value: "both", label: "Both" },
];

/** Whether `to` is reachable from `from` along the edges (breadth first). */
export function reachable(edges: GEdge[], from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const l = out.get(e.source);
    if (l) l.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const id = queue.shift() as string;
    if (id === to) return true;
    for (const t of out.get(id) ?? []) if (!seen.has(t)) seen.add(t) && queue.push(t);
  }
  return false;
}

export function ProjectGraph({ org, projectId }: ProjectGraphProps) {
  const [params, setParams] = useSearchParams();
  const depth = Math.min(5, Math.max(1, Number(params.get("depth") ?? 2) || 2));
  const dirParam = params.get("direction");
  const direction: Direction = dirParam === "upstream" || dirParam === "both" ? dirParam : "downstream";
  const target = params.get("path_to") ?? "";
  const set = useCallback(
    (key: string, value: string | undefined) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: false },
      ),
    [setParams],
  );

  const down = useClosure(org, projectId, "downstream", direction !== "upstream");
  const up = useClosure(org, projectId, "upstream", direction !== "downstream");
  const whole = useOrgGraph(org);
  const cycles = useCycles(org);

  const self = (down.data ?? up.data)?.nodes.find((n) => n.depth === 0);
  const edges = whole.data?.edges ?? [];
  const byId = useMemo(() => new Map((whole.data?.nodes ?? []).map((n) => [n.id, n])), [whole.data]);
  const bySlug = useMemo(() => new Map((whole.data?.nodes ?? []).map((n) => [n.slug, n])), [whole.data]);

  // The path's direction follows the edges: from the project when it (transitively) depends on
  // the target, from the target when the target depends on it; no request when neither holds.
  const targetNode = target ? bySlug.get(target) : undefined;
  const pathEnds = useMemo(() => {
    if (!self || !targetNode || targetNode.id === self.id) return undefined;
    if (reachable(edges, self.id, targetNode.id)) return { from: self.id, to: targetNode.id };
    if (reachable(edges, targetNode.id, self.id)) return { from: targetNode.id, to: self.id };
    return null;
  }, [self, targetNode, edges]);
  const path = usePath(org, pathEnds?.from, pathEnds?.to);

  const drawGraph = useMemo(() => {
    if (!self || !whole.data) return undefined;
    const keep = new Map<string, GNode>();
    for (const q of [
      direction !== "upstream" ? down.data : undefined,
      direction !== "downstream" ? up.data : undefined,
    ])
      for (const n of q?.nodes ?? []) if (n.depth <= depth) keep.set(n.id, byId.get(n.id) ?? n);
    for (const n of path.data?.nodes ?? []) keep.set(n.id, byId.get(n.id) ?? { ...n, team: null });
    const ids = new Set(keep.keys());
    return buildDrawGraph(
      [...keep.values()],
      edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
      { clustered: false },
    );
  }, [self, whole.data, direction, down.data, up.data, depth, path.data, byId, edges]);

  const marks = useMemo<NodeMarks>(() => {
    const p = pathSets(path.data);
    const c = cycleSets(cycles.data?.cycles ?? []);
    return { focus: self?.id, path: p.nodes, pathEdges: p.edges, cycle: c.nodes, cycleEdges: c.edges };
  }, [path.data, cycles.data, self]);

  const laid = useLayout(drawGraph);
  const error = down.error ?? up.error ?? whole.error;
  const truncated = down.data?.truncated || up.data?.truncated;
  const targets = useMemo(
    () =>
      [...(whole.data?.nodes ?? [])]
        .filter((n) => n.id !== self?.id)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [whole.data, self],
  );
  const cycleCount = (cycles.data?.cycles ?? []).filter((c) =>
    drawGraph?.nodes.some((n) => c.some((x) => x.id === n.id)),
  ).length;

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-end gap-4">
        <div className="grid gap-1.5">
          <Label htmlFor="graph-depth">Depth</Label>
          <Select
            id="graph-depth"
            className="w-24"
            value={String(depth)}
            onChange={(e) => set("depth", e.target.value === "2" ? undefined : e.target.value)}
          >
            {[1, 2, 3, 4, 5].map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </Select>
        </div>
        <fieldset className="grid gap-1.5">
          <legend className="mb-1.5 text-sm font-medium leading-none">Direction</legend>
          <div className="flex rounded-md border p-0.5">
            {DIRECTIONS.map((d) => (
              <label
                key={d.value}
                className="cursor-pointer rounded px-2.5 py-1 text-sm has-[:checked]:bg-primary has-[:checked]:text-primary-foreground has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring"
              >
                <input
                  type="radio"
                  name="graph-direction"
                  className="sr-only"
                  value={d.value}
                  checked={direction === d.value}
                  onChange={() => set("direction", d.value === "downstream" ? undefined : d.value)}
                />
                {d.label}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-1.5">
          <Label htmlFor="graph-path-to">Highlight path to</Label>
          <Select
            id="graph-path-to"
            className="w-64"
            value={target}
            onChange={(e) => set("path_to", e.target.value || undefined)}
          >
            <option value="">No path</option>
            {targets.map((n) => (
              <option key={n.id} value={n.slug}>
                {n.name}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <div role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {drawGraph
          ? `${drawGraph.nodes.length} projects, ${drawGraph.edges.length} dependencies shown.`
          : null}
        {truncated ? " The closure was cut at 10,000 projects." : null}
        {cycleCount
          ? ` ${cycleCount} dependency cycle${cycleCount > 1 ? "s" : ""} marked (dashed red).`
          : null}
        {pathEnds === null && targetNode
          ? ` No dependency path between this project and ${targetNode.name}.`
          : null}
        {path.data ? ` Path: ${path.data.nodes.map((n) => n.name).join(" → ")}.` : null}
      </div>
      <ProblemAlert error={error} />
      <ProblemAlert error={path.error} />
      <ProblemAlert error={laid.error} />
      {!error && drawGraph && drawGraph.nodes.length === 1 ? (
        <EmptyState title="No dependencies in this direction">
          Add a dependency on the project's Dependencies tab, or switch the direction to see what depends on
          it.
        </EmptyState>
      ) : null}
      {error ? null : drawGraph && laid.positions ? (
        <div className="h-[560px]">
          <GraphCanvas
            org={org}
            graph={drawGraph}
            positions={laid.positions}
            marks={marks}
            label="Dependency graph"
          />
        </div>
      ) : (
        <Loading label="Laying out the graph…" />
      )}
    </div>
  );
}
