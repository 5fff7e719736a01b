// What's deployed where: projects × environments with the version of the latest deployment in each
// cell, cells whose version has not reached the next environment highlighted as drift. Filters
// (team, project type) live in the URL; the matrix itself is paged by the API (Load more).
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { ArrowRight } from "lucide-react";
import { Link, useSearchParams } from "react-router";
import { api, keysetPaging, unwrap } from "@/api/client";
import { useEnvironments, useProjectTypes, useTeams } from "@/components/catalog/lookups";
import { matrixCells, STATUS_LABEL } from "@/components/deployments/model";
import { DeploymentStatusBadge } from "@/components/deployments/StatusBadge";
import { EmptyState, Loading, MoreButton, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Label, Select } from "@/components/ui/input";
import { useOrg } from "@/lib/session";
import { cn } from "@/lib/utils";

const PAGE = 200;
const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

export function Deployments() {
  const { slug: org } = useOrg();
  const [sp, setSp] = useSearchParams();
  const team = sp.get("team") ?? "";
  const type = sp.get("type") ?? "";
  const teams = useTeams(org);
  const types = useProjectTypes(org);
  const envs = useEnvironments(org);
  const setFilter = (key: "team" | "type", value: string) => {
    const next = new URLSearchParams(sp);
    if (value) next.set(key, value);
    else next.delete(key);
    setSp(next);
  };
  const matrix = useInfiniteQuery({
    queryKey: ["deployments", org, "matrix"],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/organizations/{org}/deployments", {
          params: { path: { org }, query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    ...keysetPaging,
  });
  // The matrix has no team or type of its own: the filtered catalog says which projects to keep.
  const filtered = team !== "" || type !== "";
  const kept = useQuery({
    queryKey: ["projects", org, "deployments-filter", team, type],
    enabled: filtered,
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects", {
          params: {
            path: { org },
            query: { limit: 500, ...(team ? { team } : {}), ...(type ? { project_type: type } : {}) },
          },
        }),
      ),
  });
  const keep = filtered ? new Set(kept.data?.data.map((p) => p.id)) : null;
  const pages = matrix.data?.pages ?? [];
  const environments = pages[0]?.environments ?? [];
  const envName = new Map(envs.data?.data.map((e) => [e.slug, e.name]));
  const all = pages.flatMap((p) => p.data);
  // The API pages by project id; people look for a project by name.
  const rows = (keep ? all.filter((r) => keep.has(r.project_id)) : all).sort((a, b) =>
    a.project_name.localeCompare(b.project_name),
  );

  return (
    <div className="grid gap-4">
      <PageHeader
        title="Deployments"
        description="What's deployed where: the latest deployment of each project in each environment."
      />
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid gap-1.5">
          <Label htmlFor="dm-team">Team</Label>
          <Select id="dm-team" value={team} onChange={(e) => setFilter("team", e.target.value)}>
            <option value="">All teams</option>
            {teams.data?.data.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="dm-type">Project type</Label>
          <Select id="dm-type" value={type} onChange={(e) => setFilter("type", e.target.value)}>
            <option value="">All types</option>
            {types.data?.data.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </Select>
        </div>
        <p className="ml-auto flex items-center gap-2 text-sm text-muted-foreground">
          <span
            className="inline-block size-3 rounded-sm border border-amber-500 bg-amber-500/15"
            aria-hidden
          />
          Drift: the version has not reached the next environment
        </p>
      </div>
      {matrix.isError ? <ProblemAlert error={matrix.error} onRetry={() => matrix.refetch()} /> : null}
      {kept.isError ? <ProblemAlert error={kept.error} onRetry={() => kept.refetch()} /> : null}
      {matrix.isPending || (filtered && kept.isPending) ? (
        <Loading label="Loading what's deployed where…" />
      ) : matrix.isError ? null : all.length === 0 ? (
        <EmptyState title="No deployments recorded yet">
          Deployments arrive from CI: wire GitHub to Imbi with a webhook whose rules record releases and
          deployments (docs/automations.md, “Wire GitHub (or any sender) to Imbi”), or post them to a
          project's deployments API. Each project's Deployments tab can also record one by hand.
        </EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState
          title="No project with deployments matches these filters"
          action={
            <Button variant="outline" onClick={() => setSp(new URLSearchParams())}>
              Clear the filters
            </Button>
          }
        >
          Pick another team or project type.
        </EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-sm" aria-label="What's deployed where">
            <thead>
              <tr className="border-b">
                <th scope="col" className="px-3 py-2 text-left text-xs font-medium text-muted-foreground">
                  Project
                </th>
                {environments.map((e) => (
                  <th
                    key={e}
                    scope="col"
                    className="px-3 py-2 text-left text-xs font-medium text-muted-foreground"
                  >
                    {envName.get(e) ?? e}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.project_id} className="border-b last:border-0">
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    <Link
                      to={`/o/${org}/projects/${r.project_slug}?tab=deployments`}
                      className="text-primary hover:underline"
                    >
                      {r.project_name}
                    </Link>
                  </th>
                  {matrixCells(environments, r).map((c) => (
                    <td
                      key={c.environment}
                      data-drift={c.aheadOf ? "true" : undefined}
                      className={cn(
                        "px-3 py-2 align-top",
                        c.aheadOf &&
                          "bg-amber-500/10 outline outline-1 -outline-offset-1 outline-amber-500/60",
                      )}
                    >
                      {c.label === null ? (
                        <span className="text-muted-foreground">
                          —<span className="sr-only">not deployed</span>
                        </span>
                      ) : (
                        <span className="grid gap-0.5">
                          <span className="flex flex-wrap items-center gap-1.5">
                            <span
                              className="font-mono"
                              title={c.deployedAt ? `Deployed ${when(c.deployedAt)}` : undefined}
                            >
                              {c.label}
                            </span>
                            {c.unattached ? (
                              <span className="text-xs text-muted-foreground">(ref)</span>
                            ) : null}
                            {c.status && c.status !== "success" ? (
                              <DeploymentStatusBadge status={c.status} />
                            ) : null}
                            {c.status === "success" ? (
                              <span className="sr-only">{STATUS_LABEL.success}</span>
                            ) : null}
                          </span>
                          {c.aheadOf ? (
                            <span className="flex items-center gap-1 text-xs text-amber-900 dark:text-amber-300">
                              <ArrowRight className="size-3" aria-hidden />
                              not yet in {envName.get(c.aheadOf) ?? c.aheadOf}
                            </span>
                          ) : null}
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <MoreButton q={matrix} label="Load more projects" />
    </div>
  );
}
