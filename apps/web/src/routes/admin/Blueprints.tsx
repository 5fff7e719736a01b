// Blueprints (GET /api/blueprints): the JSON Schemas that add attributes to projects, teams and
// the rest. Anyone with blueprint:read sees them and their schemas; blueprint:write edits them in
// a CodeMirror JSON Schema editor with live validation, checks the impact of a changed schema on
// existing projects before saving, creates and deletes. The open blueprint is in the URL
// (?bp=Type/slug, ?new=1).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import { type Blueprint, BlueprintEditor } from "@/components/blueprints/BlueprintEditor";
import { EmptyState, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge, Card, CardContent, CardHeader, CardTitle, Skeleton } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useCanAnywhere } from "@/lib/session";
import { cn } from "@/lib/utils";

const keyOf = (b: Blueprint) => `${b.type ?? "relationship"}/${b.slug}`;

export function Blueprints() {
  const canWrite = useCanAnywhere("blueprint:write");
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const selected = params.get("bp");
  const creating = params.get("new") === "1";
  const [deleting, setDeleting] = useState<Blueprint | undefined>();
  const [notice, setNotice] = useState("");

  const list = useQuery({
    queryKey: ["blueprints", "all"],
    queryFn: () => unwrap(api.GET("/api/blueprints", { params: { query: { limit: 500 } } })),
  });
  const blueprints = list.data?.data ?? [];
  const current = selected ? blueprints.find((b) => keyOf(b) === selected) : undefined;
  const go = (changes: Record<string, string | undefined>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
      return next;
    });

  const remove = useMutation({
    mutationFn: (b: Blueprint) =>
      unwrap(
        api.DELETE("/api/blueprints/{type}/{slug}", {
          params: { path: { type: (b.type ?? "relationship") as "Project", slug: b.slug } },
        }),
      ),
    onSuccess: async (_r, b) => {
      setDeleting(undefined);
      setNotice(`Deleted the blueprint ${b.name}.`);
      go({ bp: undefined });
      await qc.invalidateQueries({ queryKey: ["blueprints"] });
    },
  });

  return (
    <div className="grid gap-4">
      <PageHeader
        title="Blueprints"
        description="JSON Schemas that add attributes to projects and other nodes; every write is validated against them."
        actions={
          canWrite ? (
            <Button onClick={() => go({ new: "1", bp: undefined })}>
              <Plus aria-hidden /> New blueprint
            </Button>
          ) : null
        }
      />
      <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {notice}
      </p>
      <ProblemAlert error={list.error} onRetry={() => list.refetch()} />
      <div className="grid items-start gap-4 lg:grid-cols-[18rem_1fr]">
        <Card>
          <CardHeader>
            <CardTitle>All blueprints</CardTitle>
          </CardHeader>
          <CardContent>
            {list.isPending ? (
              <Skeleton className="h-40" />
            ) : blueprints.length === 0 ? (
              <EmptyState title="No blueprints yet">
                {canWrite
                  ? "Create one to add attributes such as tier or language to projects."
                  : "Ask an administrator to add one."}
              </EmptyState>
            ) : (
              <ul className="grid gap-1">
                {blueprints.map((b) => (
                  <li key={b.id}>
                    <button
                      type="button"
                      aria-current={selected === keyOf(b) ? "true" : undefined}
                      className={cn(
                        "grid w-full gap-0.5 rounded-md px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                        selected === keyOf(b) && "bg-accent",
                      )}
                      onClick={() => go({ bp: keyOf(b), new: undefined })}
                    >
                      <span className="flex items-center gap-2 font-medium">
                        {b.name}
                        {b.enabled ? null : <Badge tone="muted">disabled</Badge>}
                      </span>
                      <span className="text-xs text-muted-foreground">
                        {b.kind === "node" ? b.type : `${b.source} ${b.edge} ${b.target}`} ·{" "}
                        {Object.keys((b.schema as { properties?: object }).properties ?? {}).length}{" "}
                        attributes
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader className="flex-row items-center justify-between">
            <CardTitle>{creating ? "New blueprint" : current ? current.name : "Blueprint"}</CardTitle>
            {current && canWrite ? (
              <Button variant="ghost" size="sm" onClick={() => setDeleting(current)}>
                <Trash2 aria-hidden /> Delete
              </Button>
            ) : null}
          </CardHeader>
          <CardContent>
            {creating || current ? (
              <BlueprintEditor
                key={creating ? "new" : current?.id}
                blueprint={creating ? undefined : current}
                canWrite={canWrite}
                onSaved={(b) => {
                  setNotice(`Saved the blueprint ${b.name}.`);
                  go({ bp: keyOf(b), new: undefined });
                }}
                onCancel={() => go({ bp: undefined, new: undefined })}
              />
            ) : selected && list.data ? (
              <EmptyState title="No such blueprint">Pick one from the list.</EmptyState>
            ) : (
              <EmptyState title="Pick a blueprint">
                Choose a blueprint on the left to see its schema{canWrite ? ", or create a new one" : ""}.
              </EmptyState>
            )}
          </CardContent>
        </Card>
      </div>
      <ConfirmDialog
        open={Boolean(deleting)}
        onOpenChange={(o) => (o ? undefined : setDeleting(undefined))}
        title={`Delete ${deleting?.name ?? "blueprint"}?`}
        description="Its attributes stay on existing projects but are no longer validated or documented. This cannot be undone."
        confirmLabel="Delete blueprint"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        <ProblemAlert error={remove.error} />
      </ConfirmDialog>
    </div>
  );
}
