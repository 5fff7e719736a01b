// The score now, per policy (GET …/score: each policy's weight, the value it looked at, its mapped
// score and contribution; skipped policies with the reason), and the history chart (recharts,
// loaded with this tab only).
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { api, unwrap } from "@/api/client";
import { ScoreBadge } from "@/components/catalog/score";
import { EmptyState, Loading, ProblemAlert } from "@/components/states";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { ScoreLevel } from "../catalog/lookups";

const ScoreHistoryChart = lazy(() =>
  import("./ScoreHistoryChart").then((m) => ({ default: m.ScoreHistoryChart })),
);

const show = (v: unknown): string =>
  v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);

export function ScoresTab({
  org,
  projectId,
  levels,
}: {
  org: string;
  projectId: string;
  levels?: ScoreLevel[];
}) {
  const score = useQuery({
    queryKey: ["projects", org, "score", projectId],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{id}/score", { params: { path: { org, id: projectId } } }),
      ),
  });
  const history = useQuery({
    queryKey: ["projects", org, "score-history", projectId],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{id}/score/history", {
          params: { path: { org, id: projectId }, query: { limit: 500 } },
        }),
      ),
  });
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <CardTitle>Score breakdown</CardTitle>
          {score.data ? (
            <span className="text-sm text-muted-foreground">
              Now: <ScoreBadge score={score.data.score} levels={levels} />
            </span>
          ) : null}
        </CardHeader>
        <CardContent className="grid gap-3">
          {score.isPending ? (
            <Loading label="Computing the score…" />
          ) : score.isError ? (
            <ProblemAlert error={score.error} onRetry={() => score.refetch()} />
          ) : score.data.breakdown.policies.length === 0 ? (
            <EmptyState title="No scoring policy applies to this project">
              An administrator can add scoring policies under Admin → Scoring policies.
            </EmptyState>
          ) : (
            <div className="overflow-x-auto rounded border">
              <table className="w-full text-sm">
                <caption className="sr-only">Contribution of each scoring policy</caption>
                <thead className="border-b bg-muted/50 text-left text-xs uppercase tracking-wide text-muted-foreground">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium">
                      Policy
                    </th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      Category
                    </th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      Value
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Weight
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Score
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      Contribution
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {score.data.breakdown.policies.map((p) => (
                    <tr key={p.policy} className="border-b last:border-0">
                      <td className="px-3 py-2">
                        <div className="font-medium">{p.name}</div>
                        <div className="text-xs text-muted-foreground">{p.policy}</div>
                      </td>
                      <td className="px-3 py-2 text-muted-foreground">{p.category.replaceAll("_", " ")}</td>
                      <td className="max-w-64 truncate px-3 py-2" title={show(p.value)}>
                        {show(p.value)}
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">{p.weight}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{show(p.mapped_score)}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{show(p.contribution)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr className="border-t font-medium">
                    <td className="px-3 py-2" colSpan={3}>
                      Total
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{score.data.breakdown.total_weight}</td>
                    <td />
                    <td className="px-3 py-2 text-right tabular-nums">{show(score.data.score)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
          {score.data?.breakdown.skipped.length ? (
            <section aria-labelledby="skipped-heading" className="grid gap-1 text-sm">
              <h3 id="skipped-heading" className="font-semibold">
                Not applied
              </h3>
              <ul className="list-disc pl-5 text-muted-foreground">
                {score.data.breakdown.skipped.map((s) => (
                  <li key={s.policy}>
                    <span className="font-medium text-foreground">{s.policy}</span>: {s.reason}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Score history</CardTitle>
        </CardHeader>
        <CardContent>
          {history.isPending ? (
            <Loading label="Loading the history…" />
          ) : history.isError ? (
            <ProblemAlert error={history.error} onRetry={() => history.refetch()} />
          ) : history.data.data.length === 0 ? (
            <EmptyState title="No score history yet">
              The history starts when the project is first scored, shortly after a change.
            </EmptyState>
          ) : (
            <Suspense fallback={<Loading label="Loading the chart…" />}>
              <ScoreHistoryChart points={history.data.data} />
            </Suspense>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
