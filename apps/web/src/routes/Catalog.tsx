// The catalog (the app's landing screen): the project list with its filters and facet counts,
// sort (including "needs attention"), keyset paging with "Load more". Every filter and the sort
// live in the URL, so each view is a link and the back button walks through them.
import { useInfiniteQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api, keysetPaging, unwrap } from "@/api/client";
import { CreateProjectDialog } from "@/components/catalog/CreateProjectDialog";
import { FacetPanel } from "@/components/catalog/FacetPanel";
import {
  type CatalogQuery,
  hasFilters,
  listParams,
  readCatalogQuery,
  SORTS,
  type Sort,
  writeCatalogQuery,
} from "@/components/catalog/filters";
import {
  namesBySlug,
  useEnvironments,
  useProjectTypes,
  useScoreLevels,
  useTeams,
} from "@/components/catalog/lookups";
import { ProjectTable, ProjectTableSkeleton } from "@/components/catalog/ProjectTable";
import { EmptyState, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Label, Select } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

const PAGE_SIZE = 50;

export function Catalog() {
  const { slug: org, can } = useOrg();
  const [sp, setSp] = useSearchParams();
  const query = readCatalogQuery(sp);
  const params = listParams(query);
  const [creating, setCreating] = useState(false);
  const update = (next: CatalogQuery) => setSp(writeCatalogQuery(next));
  const list = useInfiniteQuery({
    queryKey: ["projects", org, "list", params],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/organizations/{org}/projects", {
          params: {
            path: { org },
            query: { ...params, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    ...keysetPaging,
  });
  const teams = useTeams(org);
  const types = useProjectTypes(org);
  const envs = useEnvironments(org);
  const levels = useScoreLevels(org);
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = hasFilters(query);
  const canCreate = can("project:create");

  return (
    <div>
      <PageHeader
        title="Projects"
        description="Every service the organization runs, who owns it and how healthy it is."
        actions={
          canCreate ? (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New project
            </Button>
          ) : null
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <aside aria-label="Filters">
          <FacetPanel org={org} query={query} onChange={update} />
        </aside>
        <section aria-label="Project list" className="grid content-start gap-3">
          <div className="flex flex-wrap items-end justify-between gap-3">
            <div className="flex items-center gap-2">
              <Label htmlFor="catalog-sort">Sort by</Label>
              <Select
                id="catalog-sort"
                className="w-64"
                value={query.sort}
                onChange={(e) => update({ ...query, sort: e.target.value as Sort })}
              >
                {SORTS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </Select>
            </div>
            <div className="flex items-center gap-3">
              <p role="status" className="text-sm text-muted-foreground">
                {list.isSuccess
                  ? `Showing ${rows.length} project${rows.length === 1 ? "" : "s"}${list.hasNextPage ? " (more available)" : ""}`
                  : ""}
              </p>
              {filtered ? (
                <Button variant="outline" size="sm" onClick={() => update({ filter: [], sort: query.sort })}>
                  Clear filters
                </Button>
              ) : null}
            </div>
          </div>
          {levels.isError ? <ProblemAlert error={levels.error} /> : null}
          {list.isError ? <ProblemAlert error={list.error} onRetry={() => list.refetch()} /> : null}
          {list.isPending ? (
            <ProjectTableSkeleton />
          ) : rows.length === 0 ? (
            list.isError ? null : filtered ? (
              <EmptyState
                title="No projects match these filters"
                action={
                  <Button variant="outline" onClick={() => update({ filter: [], sort: query.sort })}>
                    Clear filters
                  </Button>
                }
              >
                Loosen or clear the filters to see more of the catalog.
              </EmptyState>
            ) : (
              <EmptyState
                title="No projects yet"
                action={canCreate ? <Button onClick={() => setCreating(true)}>Create one</Button> : null}
              >
                {canCreate
                  ? "Create the first project to start the catalog."
                  : "Ask someone who may create projects to add the first one."}
              </EmptyState>
            )
          ) : (
            <>
              <ProjectTable
                org={org}
                rows={rows}
                levels={levels.data?.levels}
                teamName={namesBySlug(teams.data)}
                typeName={namesBySlug(types.data)}
                envName={namesBySlug(envs.data)}
              />
              {list.hasNextPage ? (
                <Button
                  variant="outline"
                  className="justify-self-center"
                  disabled={list.isFetchingNextPage}
                  onClick={() => list.fetchNextPage()}
                >
                  {list.isFetchingNextPage ? "Loading…" : "Load more"}
                </Button>
              ) : null}
            </>
          )}
        </section>
      </div>
      {canCreate ? <CreateProjectDialog org={org} open={creating} onOpenChange={setCreating} /> : null}
    </div>
  );
}
