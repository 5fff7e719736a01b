// The organization's dependency graph in one request (GET …/graph, filtered by team and project
// type like the catalog; the search text narrows it in the browser). Large graphs start clustered
// by team — a node per team with its project count, edges between teams counting dependencies —
// and a click on a team expands it in place. Layout runs in the worker; the canvas renders only
// what is visible and draws plain boxes when zoomed far out. Filters, grouping and expanded teams
// live in the URL.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import { GraphCanvas } from "@/components/graph/GraphCanvas";
import { buildDrawGraph, CLUSTER_THRESHOLD, cycleSets, matchText } from "@/components/graph/model";
import { ProjectGraph } from "@/components/graph/ProjectGraph";
import { useCycles, useOrgGraph } from "@/components/graph/queries";
import { useLayout } from "@/components/graph/useLayout";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

export function OrgGraph() {
  const { slug: org } = useOrg();
  const [params, setParams] = useSearchParams();
  const team = params.get("team") ?? "";
  const projectType = params.get("project_type") ?? "";
  const q = params.get("q") ?? "";
  const focus = params.get("focus") ?? "";
  const group = params.get("group"); // "team" | "none" | null (automatic)
  const expandedParam = params.get("expand") ?? "";
  const expanded = useMemo(() => new Set(expandedParam.split(",").filter(Boolean)), [expandedParam]);
  const set = useCallback(
    (changes: Record<string, string | undefined>, replace = false) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace },
      ),
    [setParams],
  );

  const graph = useOrgGraph(org, { team: team || undefined, project_type: projectType || undefined });
  const cycles = useCycles(org);
  const teams = useQuery({
    queryKey: ["teams", org, "all"],
    queryFn: () =>
      unwrap(api.GET("/api/organizations/{org}/teams", { params: { path: { org }, query: { limit: 500 } } })),
    staleTime: 60_000,
  });
  const types = useQuery({
    queryKey: ["project-types", org, "all"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/project-types", {
          params: { path: { org }, query: { limit: 500 } },
        }),
      ),
    staleTime: 60_000,
  });

  const nodes = useMemo(() => matchText(graph.data?.nodes ?? [], q), [graph.data, q]);
  const clustered = group === "team" || (group !== "none" && nodes.length > CLUSTER_THRESHOLD);
  const drawGraph = useMemo(() => {
    if (!graph.data) return undefined;
    const ids = new Set(nodes.map((n) => n.id));
    const edges = graph.data.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    return buildDrawGraph(nodes, edges, { clustered, expanded });
  }, [graph.data, nodes, clustered, expanded]);
  const laid = useLayout(drawGraph);
  const marks = useMemo(() => {
    const c = cycleSets(cycles.data?.cycles ?? []);
    return { cycle: c.nodes, cycleEdges: c.edges };
  }, [cycles.data]);
  const onExpand = useCallback((t: string) => set({ expand: [...expanded, t].join(",") }), [expanded, set]);
  const filtered = Boolean(team || projectType || q);

  return (
    <div className="flex h-full flex-col">
      <PageHeader
        title="Dependency graph"
        description="Every project in the organization and what it depends on (an arrow points at the dependency)."
      />
      <form
        className="mb-3 flex flex-wrap items-end gap-3"
        aria-label="Graph filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="grid gap-1.5">
          <Label htmlFor="graph-q">Search</Label>
          <Input
            id="graph-q"
            type="search"
            className="w-56"
            placeholder="Name or slug"
            value={q}
            onChange={(e) => set({ q: e.target.value || undefined }, true)}
          />
        </div>
        <SlugFilter
          id="graph-team"
          label="Team"
          all="All teams"
          value={team}
          options={teams.data?.data}
          onChange={(v) => set({ team: v })}
        />
        <SlugFilter
          id="graph-type"
          label="Project type"
          all="All types"
          value={projectType}
          options={types.data?.data}
          onChange={(v) => set({ project_type: v })}
        />
        <div className="grid gap-1.5">
          <Label htmlFor="graph-group">Show</Label>
          <Select
            id="graph-group"
            className="w-52"
            value={group ?? "auto"}
            onChange={(e) =>
              set({ group: e.target.value === "auto" ? undefined : e.target.value, expand: undefined })
            }
          >
            <option value="auto">Automatic (teams when large)</option>
            <option value="team">Teams (clustered)</option>
            <option value="none">Every project</option>
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="graph-focus">Focus on a project</Label>
          <Select
            id="graph-focus"
            className="w-56"
            value={focus}
            onChange={(e) =>
              set({
                focus: e.target.value || undefined,
                depth: undefined,
                direction: undefined,
                path_to: undefined,
              })
            }
          >
            <option value="">Whole organization</option>
            {[...(graph.data?.nodes ?? [])]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((n) => (
                <option key={n.id} value={n.slug}>
                  {n.name}
                </option>
              ))}
          </Select>
        </div>
        {expanded.size && clustered ? (
          <Button variant="outline" onClick={() => set({ expand: undefined })}>
            Collapse teams
          </Button>
        ) : null}
        {filtered ? (
          <Button
            variant="ghost"
            onClick={() => set({ team: undefined, project_type: undefined, q: undefined })}
          >
            Clear filters
          </Button>
        ) : null}
      </form>
      <p role="status" aria-live="polite" className="mb-2 text-sm text-muted-foreground">
        {graph.data && drawGraph
          ? `${nodes.length} projects, ${graph.data.edges.length} dependencies${
              clustered
                ? ` — grouped into ${drawGraph.nodes.filter((n) => n.kind === "team").length} teams; click a team to expand it`
                : ""
            }.`
          : null}
      </p>
      <ProblemAlert error={graph.error ?? laid.error} onRetry={() => graph.refetch()} />
      {focus ? (
        <section aria-label={`Dependencies of ${focus}`} className="grid gap-2">
          <h2 className="text-base font-semibold">
            Around {graph.data?.nodes.find((n) => n.slug === focus)?.name ?? focus}
          </h2>
          <ProjectGraph org={org} projectId={focus} />
        </section>
      ) : graph.isPending ? (
        <Loading label="Loading the graph…" />
      ) : graph.isError ? null : nodes.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No projects match these filters"
            action={
              <Button
                variant="outline"
                onClick={() => set({ team: undefined, project_type: undefined, q: undefined })}
              >
                Clear filters
              </Button>
            }
          >
            Try another team or project type, or clear the search.
          </EmptyState>
        ) : (
          <EmptyState title="No projects yet">
            Create projects in the catalog and add their dependencies; they appear here.
          </EmptyState>
        )
      ) : drawGraph && laid.positions ? (
        <div className="min-h-[560px] flex-1">
          <GraphCanvas
            org={org}
            graph={drawGraph}
            positions={laid.positions}
            marks={marks}
            onExpand={onExpand}
            label="Organization dependency graph"
          />
        </div>
      ) : laid.error ? null : (
        <Loading label="Laying out the graph…" />
      )}
    </div>
  );
}

/** A filter by one of the organization's named things (teams, project types); "" = all. */
function SlugFilter(props: {
  id: string;
  label: string;
  all: string;
  value: string | undefined;
  options: readonly { slug: string; name: string }[] | undefined;
  onChange: (slug: string | undefined) => void;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={props.id}>{props.label}</Label>
      <Select
        id={props.id}
        className="w-48"
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value || undefined)}
      >
        <option value="">{props.all}</option>
        {(props.options ?? []).map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
      </Select>
    </div>
  );
}
