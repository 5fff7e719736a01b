// The project's operations-log entries and change events, newest first, a page at a time.
import { useInfiniteQuery } from "@tanstack/react-query";
import { api, keysetPaging, unwrap } from "@/api/client";
import { EmptyState, Loading, MoreButton, ProblemAlert } from "@/components/states";
import { Badge, Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

const PAGE = 20;
const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
const brief = (v: unknown): string => {
  if (v === null || v === undefined) return "—";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

function OperationsLog({ org, projectId }: { org: string; projectId: string }) {
  const q = useInfiniteQuery({
    queryKey: ["projects", org, "operations-log", projectId],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{project_id}/operations-log", {
          params: {
            path: { org, project_id: projectId },
            query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    ...keysetPaging,
  });
  const rows = q.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Operations log</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2">
        {q.isError ? <ProblemAlert error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.isPending ? (
          <Loading />
        ) : rows.length === 0 && !q.isError ? (
          <EmptyState title="No operations recorded">
            Deployments, restarts and other changes appear here when they are logged (Operations log → New
            entry).
          </EmptyState>
        ) : (
          <ol className="grid gap-2" aria-label="Operations log entries">
            {rows.map((e) => (
              <li key={e.id} className="grid gap-0.5 rounded border px-3 py-2 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge>{e.entry_type}</Badge>
                  <span className="text-muted-foreground">{e.environment_slug}</span>
                  {e.version ? <span className="font-mono text-xs">{e.version}</span> : null}
                  <time className="ml-auto text-xs text-muted-foreground" dateTime={e.occurred_at}>
                    {when(e.occurred_at)}
                  </time>
                </div>
                <p>{e.description}</p>
                <p className="text-xs text-muted-foreground">by {e.performed_by ?? e.recorded_by}</p>
              </li>
            ))}
          </ol>
        )}
        <MoreButton q={q} />
      </CardContent>
    </Card>
  );
}

function ChangeEvents({ org, projectId }: { org: string; projectId: string }) {
  const q = useInfiniteQuery({
    queryKey: ["projects", org, "events", projectId],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{project_id}/events", {
          params: {
            path: { org, project_id: projectId },
            query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    ...keysetPaging,
  });
  const rows = q.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Changes</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2">
        {q.isError ? <ProblemAlert error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.isPending ? (
          <Loading />
        ) : rows.length === 0 && !q.isError ? (
          <EmptyState title="No changes recorded yet">
            Edits to this project appear here, newest first.
          </EmptyState>
        ) : (
          <ol className="grid gap-1" aria-label="Change events">
            {rows.map((e) => (
              <li key={e.id} className="grid gap-0.5 rounded border px-3 py-2 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone="muted">{e.action}</Badge>
                  <span className="font-medium">{e.field}</span>
                  <time className="ml-auto text-xs text-muted-foreground" dateTime={e.occurred_at}>
                    {when(e.occurred_at)}
                  </time>
                </div>
                <p className="break-all text-xs">
                  {e.action === "updated" ? (
                    <>
                      <span className="text-muted-foreground line-through">{brief(e.old_value)}</span> →{" "}
                      {brief(e.new_value)}
                    </>
                  ) : (
                    brief(e.action === "deleted" ? e.old_value : e.new_value)
                  )}
                </p>
                <p className="text-xs text-muted-foreground">by {e.principal}</p>
              </li>
            ))}
          </ol>
        )}
        <MoreButton q={q} />
      </CardContent>
    </Card>
  );
}

export function ActivityTab({
  org,
  projectId,
  canReadLog,
}: {
  org: string;
  projectId: string;
  canReadLog: boolean;
}) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {canReadLog ? <OperationsLog org={org} projectId={projectId} /> : null}
      <ChangeEvents org={org} projectId={projectId} />
    </div>
  );
}
