// One environment's URL, editable in place by people who may write the project: a merge PATCH of
// the DEPLOYED_IN edge (…/environments/{env}) with If-Match, so a concurrent change is a 412
// explained like the edit form's.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, etagOf, toApiError } from "@/api/client";
import { formErrors } from "@/components/catalog/lookups";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { type Project, type ProjectWithEtag, projectKey } from "./use_project";

export function EnvironmentUrl({
  org,
  routeId,
  data,
  env,
  envName,
  url,
  canWrite,
  children,
}: {
  org: string;
  routeId: string;
  data: ProjectWithEtag;
  env: string;
  envName: string;
  url?: string;
  canWrite: boolean;
  /** The read view of the URL. */
  children: React.ReactNode;
}) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(url ?? "");
  const save = useMutation({
    mutationFn: async () => {
      const {
        data: body,
        error,
        response,
      } = await api.PATCH("/api/organizations/{org}/projects/{id}/environments/{env}", {
        params: {
          path: { org, id: data.project.id, env },
          header: data.etag ? { "if-match": data.etag } : {},
        },
        body: { url: value.trim() || null },
      });
      if (!response.ok || !body) throw await toApiError(response, error);
      return { project: body as Project, etag: etagOf(response) };
    },
    onSuccess: (saved) => {
      qc.setQueryData(projectKey(org, routeId), saved);
      setEditing(false);
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 412;
  const id = `env-url-${env}`;
  if (!editing)
    return (
      <div className="flex items-start justify-between gap-2">
        <div className="grid min-w-0">
          <span className="font-medium">{envName}</span>
          {children}
        </div>
        {canWrite ? (
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Edit the ${envName} URL`}
            onClick={() => {
              setValue(url ?? "");
              save.reset();
              setEditing(true);
            }}
          >
            Edit
          </Button>
        ) : null}
      </div>
    );
  const fieldError = formErrors(save.error).url;
  return (
    <form
      noValidate
      className="grid gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field id={id} label={`${envName} URL`} error={fieldError}>
        <Input
          id={id}
          type="url"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={!!fieldError}
          aria-describedby={fieldError ? `${id}-error` : undefined}
        />
      </Field>
      {conflict ? (
        <div
          role="alert"
          className="grid gap-2 rounded-md border border-amber-500/60 bg-amber-500/10 p-2 text-xs"
        >
          <p>This project was changed by someone else since you opened it — reload to see their changes.</p>
          <Button
            size="sm"
            variant="outline"
            className="w-fit"
            onClick={async () => {
              await qc.invalidateQueries({ queryKey: projectKey(org, routeId) });
              save.reset();
            }}
          >
            Reload
          </Button>
        </div>
      ) : save.isError && !fieldError ? (
        <ProblemAlert error={save.error} />
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
        <Button size="sm" variant="outline" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
