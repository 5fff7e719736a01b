// Archive / unarchive and delete, each confirmed; delete asks for the slug to be typed. Shown only
// to people who hold project:write / project:delete (the API checks again).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Archive, ArchiveRestore, Trash2 } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api, unwrap } from "@/api/client";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import type { Project } from "./use_project";

export function ProjectActions({
  org,
  project,
  canWrite,
  canDelete,
}: {
  org: string;
  project: Project;
  canWrite: boolean;
  canDelete: boolean;
}) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState<"archive" | "delete" | null>(null);
  const [typed, setTyped] = useState("");
  const archive = useMutation({
    mutationFn: () => {
      const path = { params: { path: { org, id: project.id } } };
      return unwrap(
        project.archived
          ? api.POST("/api/organizations/{org}/projects/{id}/unarchive", path)
          : api.POST("/api/organizations/{org}/projects/{id}/archive", path),
      );
    },
    onSuccess: async () => {
      setConfirm(null);
      await qc.invalidateQueries({ queryKey: ["projects", org] });
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/organizations/{org}/projects/{id}", { params: { path: { org, id: project.id } } }),
      ),
    onSuccess: () => {
      setConfirm(null);
      navigate(`/o/${org}/projects`, { replace: true });
      // Its own queries (detail, schema, score…) are dropped, not refetched into 404s; the lists are.
      const mine = (q: { queryKey: readonly unknown[] }) =>
        q.queryKey.includes(project.id) || q.queryKey.includes(project.slug);
      qc.removeQueries({ queryKey: ["projects", org], predicate: mine });
      void qc.invalidateQueries({ queryKey: ["projects", org], predicate: (q) => !mine(q) });
    },
  });
  const close = () => {
    setConfirm(null);
    setTyped("");
    archive.reset();
    remove.reset();
  };
  if (!canWrite && !canDelete) return null;
  return (
    <>
      {canWrite ? (
        <Button variant="outline" onClick={() => setConfirm("archive")}>
          {project.archived ? <ArchiveRestore aria-hidden /> : <Archive aria-hidden />}
          {project.archived ? "Unarchive" : "Archive"}
        </Button>
      ) : null}
      {canDelete ? (
        <Button variant="destructive" onClick={() => setConfirm("delete")}>
          <Trash2 aria-hidden /> Delete
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirm === "archive"}
        onOpenChange={(o) => !o && close()}
        title={project.archived ? `Unarchive ${project.name}?` : `Archive ${project.name}?`}
        description={
          project.archived
            ? "It will show in the catalog and the graph again."
            : "It will be hidden from the catalog (filter Archived to see it) and can be unarchived later."
        }
        confirmLabel={project.archived ? "Unarchive" : "Archive"}
        destructive={!project.archived}
        pending={archive.isPending}
        onConfirm={() => archive.mutate()}
      >
        {archive.isError ? <ProblemAlert error={archive.error} /> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "delete"}
        onOpenChange={(o) => !o && close()}
        title={`Delete ${project.name}?`}
        description="This deletes the project and every dependency touching it. It cannot be undone."
        confirmLabel="Delete project"
        pending={remove.isPending || typed !== project.slug}
        onConfirm={() => typed === project.slug && remove.mutate()}
      >
        <Field id="confirm-slug" label={`Type ${project.slug} to confirm`}>
          <Input
            id="confirm-slug"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />
        </Field>
        {remove.isError ? <ProblemAlert error={remove.error} /> : null}
      </ConfirmDialog>
    </>
  );
}
