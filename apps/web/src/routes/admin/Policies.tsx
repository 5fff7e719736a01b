// Scoring policies (GET /api/scoring/policies): the list, create and edit with a form per
// category, delete with confirmation, and Rescore (POST /api/scoring/rescore) for the current
// organization. Editing needs scoring_policy:write; the open form is in the URL (?edit=slug,
// ?new=1) so it has a deep link and the back button closes it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus, RefreshCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import { PolicyFormView } from "@/components/scores/PolicyFormView";
import { CATEGORIES, type PolicyDoc } from "@/components/scores/policyForm";
import { EmptyState, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { useCanAnywhere, useOrg } from "@/lib/session";

const categoryLabel = (c: string) => CATEGORIES.find((x) => x.value === c)?.label ?? c;

function summary(p: PolicyDoc): string {
  switch (p.category) {
    case "attribute":
      return `${p.attribute_name} → ${Object.keys((p.value_score_map ?? p.range_score_map ?? {}) as object).length} values`;
    case "presence":
      return `${p.attribute_name} set`;
    case "link_presence":
      return `${p.link_slug} link`;
    case "age":
      return `age of ${p.attribute_name}`;
    case "deployment_status":
      return `deployed in ${p.environment_slug}`;
    default:
      return "condition";
  }
}

export function Policies() {
  const { slug: org } = useOrg();
  const canWrite = useCanAnywhere("scoring_policy:write");
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const editing = params.get("edit");
  const creating = params.get("new") === "1";
  const [deleting, setDeleting] = useState<PolicyDoc | undefined>();
  const [notice, setNotice] = useState("");

  const list = useQuery({
    queryKey: ["scoring-policies", "all"],
    queryFn: () => unwrap(api.GET("/api/scoring/policies", { params: { query: { limit: 500 } } })),
  });
  const policies = (list.data?.data ?? []) as PolicyDoc[];
  const current = editing ? policies.find((p) => p.slug === editing) : undefined;

  const rescore = useMutation({
    mutationFn: () => unwrap(api.POST("/api/scoring/rescore", { body: { organization: org, all: true } })),
    onSuccess: (r) => {
      setNotice(`Rescoring ${r.requested} projects (${r.enqueued} queued). Scores update in a moment.`);
      setTimeout(() => {
        void qc.invalidateQueries({ queryKey: ["scores"] });
        void qc.invalidateQueries({ queryKey: ["projects"] });
      }, 1500);
    },
  });
  const remove = useMutation({
    mutationFn: (slug: string) =>
      unwrap(api.DELETE("/api/scoring/policies/{slug}", { params: { path: { slug } } })),
    onSuccess: async (_r, slug) => {
      setDeleting(undefined);
      setNotice(`Deleted the policy ${slug}; its projects are being rescored.`);
      await qc.invalidateQueries({ queryKey: ["scoring-policies"] });
      await qc.invalidateQueries({ queryKey: ["scores"] });
    },
  });
  const close = (slug?: string) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.delete("edit");
      next.delete("new");
      return next;
    });
    if (slug) setNotice(`Saved the policy ${slug}; the projects it targets are being rescored.`);
  };
  const open = (key: "edit" | "new", value: string) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set(key, value);
      return next;
    });

  return (
    <div className="grid gap-4">
      <PageHeader
        title="Scoring policies"
        description="Each policy scores every project it targets 0–100; a project's score is the weighted average."
        actions={
          canWrite ? (
            <>
              <Button variant="outline" onClick={() => rescore.mutate()} disabled={rescore.isPending}>
                <RefreshCw aria-hidden /> {rescore.isPending ? "Queuing…" : "Rescore all projects"}
              </Button>
              <Button onClick={() => open("new", "1")}>
                <Plus aria-hidden /> New policy
              </Button>
            </>
          ) : null
        }
      />
      <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {notice}
      </p>
      <ProblemAlert
        error={list.error ?? rescore.error}
        onRetry={list.error ? () => list.refetch() : undefined}
      />
      {list.isPending ? (
        <Skeleton className="h-48" />
      ) : policies.length === 0 && !list.error ? (
        <EmptyState
          title="No scoring policies yet"
          action={canWrite ? <Button onClick={() => open("new", "1")}>Create a policy</Button> : undefined}
        >
          Policies turn attributes, links, deployments and conditions into project health scores.
        </EmptyState>
      ) : (
        <Card>
          <table className="w-full text-sm">
            <caption className="sr-only">Scoring policies</caption>
            <thead className="text-left text-muted-foreground">
              <tr className="border-b">
                <th scope="col" className="p-3 font-medium">
                  Policy
                </th>
                <th scope="col" className="p-3 font-medium">
                  Category
                </th>
                <th scope="col" className="p-3 text-right font-medium">
                  Weight
                </th>
                <th scope="col" className="p-3 font-medium">
                  Applies to
                </th>
                <th scope="col" className="p-3 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {policies.map((p) => (
                <tr key={p.slug} className="border-b last:border-0" data-testid={`policy-${p.slug}`}>
                  <th scope="row" className="p-3 text-left font-medium">
                    <div className="flex items-center gap-2">
                      {p.name as string}
                      {p.enabled === false ? <Badge tone="muted">disabled</Badge> : null}
                    </div>
                    <div className="text-xs font-normal text-muted-foreground">
                      {p.slug} · {summary(p)}
                    </div>
                  </th>
                  <td className="p-3">{categoryLabel(String(p.category))}</td>
                  <td className="p-3 text-right tabular-nums">{String(p.weight)}</td>
                  <td className="p-3">
                    {Array.isArray(p.targets) && p.targets.length ? p.targets.join(", ") : "every project"}
                  </td>
                  <td className="p-3 text-right">
                    {canWrite ? (
                      <div className="flex justify-end gap-1">
                        <Button variant="ghost" size="sm" onClick={() => open("edit", p.slug as string)}>
                          <Pencil aria-hidden /> Edit<span className="sr-only"> {p.name as string}</span>
                        </Button>
                        <Button variant="ghost" size="sm" onClick={() => setDeleting(p)}>
                          <Trash2 aria-hidden /> Delete<span className="sr-only"> {p.name as string}</span>
                        </Button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <Dialog
        open={creating || Boolean(current)}
        onOpenChange={(o) => (o ? undefined : close())}
        title={current ? `Edit ${current.name as string}` : "New scoring policy"}
        className="max-w-2xl"
      >
        {creating || current ? (
          <PolicyFormView key={current?.slug ?? "new"} policy={current} onDone={close} />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={Boolean(deleting)}
        onOpenChange={(o) => (o ? undefined : setDeleting(undefined))}
        title={`Delete ${(deleting?.name as string) ?? "policy"}?`}
        description="Projects it targeted are rescored without it. This cannot be undone."
        confirmLabel="Delete policy"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.slug as string)}
      >
        <ProblemAlert error={remove.error} />
      </ConfirmDialog>
    </div>
  );
}
