// What the project depends on and what depends on it (GET …/relationships), adding a dependency
// (find a project through /search) and removing one (confirmed), and the graph view (lazy: the
// graph library is its own chunk).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { lazy, Suspense, useDeferredValue, useState } from "react";
import { Link } from "react-router";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { EmptyState, Loading, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge, Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Input, Label } from "@/components/ui/input";
import type { Project } from "./use_project";

const ProjectGraph = lazy(() =>
  import("@/components/graph/ProjectGraph").then((m) => ({ default: m.ProjectGraph })),
);

type Relationship = components["schemas"]["Relationship"];

function AddDependency({
  org,
  project,
  existing,
  onAdded,
}: {
  org: string;
  project: Project;
  existing: Set<string>;
  onAdded: (name: string) => void;
}) {
  const [q, setQ] = useState("");
  const term = useDeferredValue(q.trim());
  const qc = useQueryClient();
  const hits = useQuery({
    queryKey: ["search", org, term],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/search", {
          params: { path: { org }, query: { q: term, limit: 10 } },
        }),
      ),
    enabled: term.length > 0,
  });
  const add = useMutation({
    mutationFn: (target: { id: string; name: string }) =>
      unwrap(
        api.POST("/api/organizations/{org}/projects/{id}/relationships/{targetId}", {
          params: { path: { org, id: project.id, targetId: target.id } },
        }),
      ).then(() => target),
    onSuccess: async (target) => {
      setQ("");
      await Promise.all([
        qc.invalidateQueries({ queryKey: ["projects", org] }),
        qc.invalidateQueries({ queryKey: ["graph", org] }),
      ]);
      onAdded(target.name);
    },
  });
  const candidates = (hits.data?.data ?? []).filter(
    (h) => h.kind === "project" && h.id !== project.id && !existing.has(h.id),
  );
  return (
    <div className="grid gap-2">
      <Label htmlFor="dep-search">Add a dependency</Label>
      <Input
        id="dep-search"
        type="search"
        placeholder="Search projects by name or slug…"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-describedby="dep-search-hint"
      />
      <p id="dep-search-hint" className="text-xs text-muted-foreground">
        Pick a project {project.name} depends on.
      </p>
      {add.isError ? <ProblemAlert error={add.error} /> : null}
      {hits.isError ? <ProblemAlert error={hits.error} /> : null}
      {term && hits.isSuccess ? (
        candidates.length === 0 ? (
          <p className="text-sm text-muted-foreground">No other project matches “{term}”.</p>
        ) : (
          <ul className="grid gap-1" aria-label="Matching projects">
            {candidates.map((h) => (
              <li
                key={h.id}
                className="flex items-center justify-between gap-2 rounded border px-2 py-1 text-sm"
              >
                <span>
                  {h.name} <span className="text-muted-foreground">({h.slug})</span>
                </span>
                <Button
                  size="sm"
                  variant="outline"
                  disabled={add.isPending}
                  aria-label={`Add dependency on ${h.name}`}
                  onClick={() => add.mutate({ id: h.id, name: h.name })}
                >
                  <Plus aria-hidden /> Add
                </Button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

function RelationshipList({
  org,
  items,
  label,
  onRemove,
}: {
  org: string;
  items: Relationship[];
  label: string;
  onRemove?: (r: Relationship) => void;
}) {
  return (
    <ul className="grid gap-1" aria-label={label}>
      {items.map((r) => (
        <li key={r.id} className="flex items-center justify-between gap-2 rounded border px-2 py-1.5 text-sm">
          <span className="flex items-center gap-2">
            <Link
              to={`/o/${org}/projects/${r.slug}`}
              className="text-primary underline-offset-4 hover:underline"
            >
              {r.name}
            </Link>
            <span className="text-xs text-muted-foreground">{r.slug}</span>
            {r.archived ? <Badge tone="muted">Archived</Badge> : null}
          </span>
          {onRemove ? (
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Remove dependency on ${r.name}`}
              onClick={() => onRemove(r)}
            >
              <Trash2 aria-hidden />
            </Button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function DependenciesTab({
  org,
  project,
  canWrite,
}: {
  org: string;
  project: Project;
  canWrite: boolean;
}) {
  const qc = useQueryClient();
  const [removing, setRemoving] = useState<Relationship | null>(null);
  const [announce, setAnnounce] = useState("");
  const rels = useQuery({
    queryKey: ["projects", org, "relationships", project.id],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{id}/relationships", {
          params: { path: { org, id: project.id } },
        }),
      ),
  });
  const remove = useMutation({
    mutationFn: (r: Relationship) =>
      unwrap(
        api.DELETE("/api/organizations/{org}/projects/{id}/relationships/{targetId}", {
          params: { path: { org, id: project.id, targetId: r.id } },
        }),
      ).then(() => r),
    onSuccess: async (r) => {
      setRemoving(null);
      setAnnounce(`Removed the dependency on ${r.name}.`);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ["projects", org] }),
        qc.invalidateQueries({ queryKey: ["graph", org] }),
      ]);
    },
  });
  const outbound = rels.data?.outbound ?? [];
  const inbound = rels.data?.inbound ?? [];
  return (
    <div className="grid gap-4">
      <p role="status" className="sr-only">
        {announce}
      </p>
      {rels.isError ? <ProblemAlert error={rels.error} onRetry={() => rels.refetch()} /> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Depends on {rels.data ? `(${rels.data.counts.outbound})` : ""}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            {rels.isPending ? (
              <Loading />
            ) : outbound.length === 0 ? (
              <EmptyState title="No dependencies recorded">
                {canWrite ? "Search below for a project this one calls or needs." : null}
              </EmptyState>
            ) : (
              <RelationshipList
                org={org}
                items={outbound}
                label="Dependencies"
                onRemove={canWrite ? setRemoving : undefined}
              />
            )}
            {canWrite ? (
              <AddDependency
                org={org}
                project={project}
                existing={new Set(outbound.map((r) => r.id))}
                onAdded={(name) => setAnnounce(`Added a dependency on ${name}.`)}
              />
            ) : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Depended on by {rels.data ? `(${rels.data.counts.inbound})` : ""}</CardTitle>
          </CardHeader>
          <CardContent>
            {rels.isPending ? (
              <Loading />
            ) : inbound.length === 0 ? (
              <p className="text-sm text-muted-foreground">Nothing depends on {project.name} yet.</p>
            ) : (
              <RelationshipList org={org} items={inbound} label="Dependents" />
            )}
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Graph</CardTitle>
        </CardHeader>
        <CardContent>
          <Suspense fallback={<Loading label="Loading the graph…" />}>
            <ProjectGraph org={org} projectId={project.id} />
          </Suspense>
        </CardContent>
      </Card>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(o) => {
          if (!o) {
            setRemoving(null);
            remove.reset();
          }
        }}
        title="Remove this dependency?"
        description={
          removing ? `${project.name} will no longer be recorded as depending on ${removing.name}.` : ""
        }
        confirmLabel="Remove dependency"
        pending={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        {remove.isError ? <ProblemAlert error={remove.error} /> : null}
      </ConfirmDialog>
    </div>
  );
}
