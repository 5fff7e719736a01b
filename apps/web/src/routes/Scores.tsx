// Scores across the organization: rollups by team or project type (GET …/scores/rollup, worst
// average first) with each group's level distribution and a link to the catalog filtered to it
// and sorted by needs-attention; the projects needing attention most; the level definitions
// (GET/PUT …/scores/levels); and the history by team as a chart (recharts, loaded lazily).
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import { LevelsEditor } from "@/components/scores/LevelsEditor";
import { levelColumns, levelFor, scoreTone } from "@/components/scores/levels";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge, Card, CardContent, CardHeader, CardTitle, Skeleton } from "@/components/ui/card";
import { Label, Select } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

const HistoryChart = lazy(() =>
  import("@/components/scores/HistoryChart").then((m) => ({ default: m.HistoryChart })),
);

type Dimension = "team" | "project_type";
const fmt = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : String(Math.round(n * 10) / 10);

export function Scores() {
  const { slug: org, can } = useOrg();
  const [params, setParams] = useSearchParams();
  const dimension: Dimension = params.get("by") === "project_type" ? "project_type" : "team";
  const days = Number(params.get("days") ?? 30) || 30;
  const [editing, setEditing] = useState(false);

  const rollup = useQuery({
    queryKey: ["scores", org, "rollup", dimension],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/scores/rollup", {
          params: { path: { org }, query: { dimension } },
        }),
      ),
  });
  const levels = useQuery({
    queryKey: ["scores", org, "levels"],
    queryFn: () => unwrap(api.GET("/api/organizations/{org}/scores/levels", { params: { path: { org } } })),
  });
  const worst = useQuery({
    queryKey: ["projects", org, "list", { sort: "score", limit: 10 }],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects", {
          params: { path: { org }, query: { sort: "score", limit: 10 } },
        }),
      ),
  });
  const from = new Date(Date.now() - days * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  const history = useQuery({
    queryKey: ["scores", org, "history-by-team", days],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/scores/history-by-team", {
          params: { path: { org }, query: { granularity: "day", from: from.toISOString() } },
        }),
      ),
  });

  const levelList = levels.data?.levels ?? [];
  const columns = levelColumns(levelList);
  const filterKey = dimension === "team" ? "team" : "project_type";

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Scores"
        description="Project health across the organization, worst first. Scores come from the scoring policies."
      />
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
          <CardTitle>Rollup</CardTitle>
          <div className="flex items-center gap-2">
            <Label htmlFor="rollup-by">Group by</Label>
            <Select
              id="rollup-by"
              className="w-40"
              value={dimension}
              onChange={(e) =>
                setParams((prev) => {
                  const next = new URLSearchParams(prev);
                  if (e.target.value === "team") next.delete("by");
                  else next.set("by", e.target.value);
                  return next;
                })
              }
            >
              <option value="team">Team</option>
              <option value="project_type">Project type</option>
            </Select>
          </div>
        </CardHeader>
        <CardContent>
          <ProblemAlert error={rollup.error ?? levels.error} onRetry={() => rollup.refetch()} />
          {rollup.isPending ? (
            <Skeleton className="h-40" />
          ) : rollup.data && rollup.data.data.length === 0 ? (
            <EmptyState title="No scores yet">
              Add scoring policies (Admin → Scoring policies) and projects; scores appear once computed.
            </EmptyState>
          ) : rollup.data ? (
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">
                  Scores by {dimension === "team" ? "team" : "project type"}, worst average first
                </caption>
                <thead className="text-left text-muted-foreground">
                  <tr className="border-b">
                    <th scope="col" className="py-2 pr-3 font-medium">
                      {dimension === "team" ? "Team" : "Project type"}
                    </th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">
                      Average
                    </th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">
                      Lowest
                    </th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">
                      Highest
                    </th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">
                      Scored
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Levels
                    </th>
                    <th scope="col" className="py-2 font-medium">
                      <span className="sr-only">Projects</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rollup.data.data.map((row) => (
                    <tr key={row.key} className="border-b last:border-0" data-testid={`rollup-${row.key}`}>
                      <th scope="row" className="py-2 pr-3 text-left font-medium">
                        {row.key}
                      </th>
                      <td className="py-2 pr-3 text-right">
                        <Badge tone={scoreTone(row.avg_score)} data-testid={`rollup-avg-${row.key}`}>
                          {fmt(row.avg_score)}
                        </Badge>
                      </td>
                      <td className="py-2 pr-3 text-right tabular-nums">{fmt(row.min_score)}</td>
                      <td className="py-2 pr-3 text-right tabular-nums">{fmt(row.max_score)}</td>
                      <td className="py-2 pr-3 text-right tabular-nums">
                        {row.scored}/{row.projects}
                      </td>
                      <td className="py-2 pr-3">
                        <LevelBar counts={row.levels} columns={columns} total={row.projects} />
                      </td>
                      <td className="py-2 text-right">
                        <Link
                          className="text-primary underline-offset-4 hover:underline"
                          to={`/o/${org}/projects?${filterKey}=${encodeURIComponent(row.key)}&sort=score`}
                        >
                          Projects needing attention
                          <span className="sr-only"> in {row.key}</span>
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Needing attention</CardTitle>
          </CardHeader>
          <CardContent>
            <ProblemAlert error={worst.error} />
            {worst.isPending ? (
              <Skeleton className="h-40" />
            ) : worst.data && worst.data.data.length === 0 ? (
              <EmptyState title="No projects yet">
                Create projects in the catalog to see their scores.
              </EmptyState>
            ) : (
              <ol className="grid gap-1 text-sm">
                {(worst.data?.data ?? []).map((p) => {
                  const score = "score" in p ? (p.score as number | null) : null;
                  const level = levelFor(score, levelList);
                  return (
                    <li
                      key={p.id}
                      className="flex items-center justify-between gap-2 border-b py-1 last:border-0"
                    >
                      <Link className="truncate hover:underline" to={`/o/${org}/projects/${p.slug}`}>
                        {p.name}
                      </Link>
                      <span className="flex items-center gap-2">
                        {level ? <Badge tone="muted">{level}</Badge> : null}
                        <Badge tone={scoreTone(score)} data-testid={`score-${p.slug}`}>
                          {fmt(score)}
                        </Badge>
                      </span>
                    </li>
                  );
                })}
              </ol>
            )}
            <Link
              className="mt-2 inline-block text-sm text-primary underline-offset-4 hover:underline"
              to={`/o/${org}/projects?sort=score`}
            >
              All projects by score
            </Link>
          </CardContent>
        </Card>
        <Card>
          <CardHeader className="flex-row items-center justify-between">
            <CardTitle>Levels</CardTitle>
            {can("organization:update") && !editing && levels.data ? (
              <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
                Edit levels
              </Button>
            ) : null}
          </CardHeader>
          <CardContent>
            {levels.isPending ? (
              <Skeleton className="h-24" />
            ) : editing && levels.data ? (
              <LevelsEditor org={org} levels={levelList} onDone={() => setEditing(false)} />
            ) : levelList.length === 0 ? (
              <EmptyState title="No levels defined">
                Define levels (for example Bronze 50, Silver 75, Gold 90) to group projects by score.
              </EmptyState>
            ) : (
              <ul className="grid gap-1 text-sm">
                {[...levelList]
                  .sort((a, b) => b.min_score - a.min_score)
                  .map((l) => (
                    <li key={l.name} className="flex justify-between border-b py-1 last:border-0">
                      <span className="font-medium">{l.name}</span>
                      <span className="text-muted-foreground">from {l.min_score}</span>
                    </li>
                  ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
          <CardTitle>History by team</CardTitle>
          <div className="flex items-center gap-2">
            <Label htmlFor="history-days">Period</Label>
            <Select
              id="history-days"
              className="w-36"
              value={String(days)}
              onChange={(e) =>
                setParams((prev) => {
                  const next = new URLSearchParams(prev);
                  if (e.target.value === "30") next.delete("days");
                  else next.set("days", e.target.value);
                  return next;
                })
              }
            >
              <option value="7">Last 7 days</option>
              <option value="30">Last 30 days</option>
              <option value="90">Last 90 days</option>
              <option value="365">Last year</option>
            </Select>
          </div>
        </CardHeader>
        <CardContent>
          <ProblemAlert error={history.error} />
          {history.isPending ? (
            <Skeleton className="h-72" />
          ) : history.data && history.data.data.length === 0 ? (
            <EmptyState title="No score changes in this period">
              Scores are recorded when they change; pick a longer period or rescore projects.
            </EmptyState>
          ) : history.data ? (
            <Suspense fallback={<Loading label="Loading the chart…" />}>
              <HistoryChart points={history.data.data} />
            </Suspense>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}

function LevelBar({
  counts,
  columns,
  total,
}: {
  counts: Record<string, number>;
  columns: string[];
  total: number;
}) {
  const tones = [
    "bg-muted-foreground/40",
    "bg-amber-600/70",
    "bg-slate-400",
    "bg-yellow-400",
    "bg-emerald-500",
  ];
  const parts = columns.map((c, i) => ({
    name: c,
    n: counts[c] ?? 0,
    tone: tones[Math.min(i, tones.length - 1)],
  }));
  const text = parts
    .filter((p) => p.n)
    .map((p) => `${p.name === "none" ? "no level" : p.name} ${p.n}`)
    .join(", ");
  return (
    <div className="grid min-w-40 gap-1">
      <div className="flex h-2 w-full overflow-hidden rounded bg-muted" aria-hidden>
        {parts.map((p) =>
          p.n ? (
            <div key={p.name} className={p.tone} style={{ width: `${(p.n / Math.max(total, 1)) * 100}%` }} />
          ) : null,
        )}
      </div>
      <span className="text-xs text-muted-foreground">{text || "no projects"}</span>
    </div>
  );
}
