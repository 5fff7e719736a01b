// Edit a project's name, description and blueprint attributes: a JSON Patch sent with If-Match
// (the ETag of the GET the form started from). A 412 means someone else saved in between: the
// dialog says so and offers to reload their version; the server's field errors land on the fields.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, etagOf, toApiError } from "@/api/client";
import { formErrors } from "@/components/catalog/lookups";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import {
  attributePatch,
  type FormValues,
  initialValues,
  type PatchOp,
  type SchemaField,
} from "./schema_fields";
import { fetchProject, type Project, type ProjectWithEtag, projectKey } from "./use_project";

const CORE: SchemaField[] = [
  { name: "name", label: "Name", kind: "string", required: true },
  { name: "description", label: "Description", kind: "string", required: false, emptyIsString: true },
];

function AttributeInput({
  field,
  value,
  error,
  onChange,
}: {
  field: SchemaField;
  value: string | boolean;
  error?: string;
  onChange: (v: string) => void;
}) {
  const id = `attr-${field.name}`;
  const v = String(value);
  const hintId = field.description && !error ? `${id}-hint` : undefined;
  const common = {
    id,
    name: field.name,
    "aria-invalid": !!error,
    "aria-describedby": error ? `${id}-error` : hintId,
  };
  let control: React.ReactNode;
  if (field.kind === "enum" || field.kind === "boolean") {
    const options =
      field.kind === "boolean"
        ? [
            ["true", "Yes"],
            ["false", "No"],
          ]
        : (field.options ?? []).map((o) => [String(o), String(o)]);
    control = (
      <Select {...common} value={v} onChange={(e) => onChange(e.target.value)}>
        <option value="">(not set)</option>
        {options.map(([val, label]) => (
          <option key={val} value={val}>
            {label}
          </option>
        ))}
      </Select>
    );
  } else if (field.kind === "string-array" || field.kind === "other" || field.name === "description") {
    control = <Textarea {...common} value={v} onChange={(e) => onChange(e.target.value)} />;
  } else {
    control = (
      <Input
        {...common}
        type={field.kind === "number" || field.kind === "integer" ? "number" : "text"}
        step={field.kind === "integer" ? 1 : "any"}
        min={field.minimum}
        max={field.maximum}
        value={v}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  const hint =
    field.kind === "string-array"
      ? [field.description, "One per line."].filter(Boolean).join(" ")
      : field.description;
  return (
    <Field id={id} label={field.label} hint={hint} error={error}>
      {control}
    </Field>
  );
}

export function EditProjectDialog({
  org,
  routeId,
  base,
  fields,
  open,
  onOpenChange,
  onSaved,
}: {
  org: string;
  /** The id or slug in the URL (the query key of the page's project). */
  routeId: string;
  base: ProjectWithEtag;
  fields: SchemaField[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved?: (project: Project) => void;
}) {
  const qc = useQueryClient();
  const all = [...CORE, ...fields];
  // The version the form started from: its ETag goes in If-Match, its values decide what changed.
  const [start, setStart] = useState<ProjectWithEtag>(base);
  const [values, setValues] = useState<FormValues>(() => initialValues(all, base.project));
  const save = useMutation({
    mutationFn: async (ops: PatchOp[]) => {
      const { data, error, response } = await api.PATCH("/api/organizations/{org}/projects/{id}", {
        params: { path: { org, id: start.project.id }, header: start.etag ? { "if-match": start.etag } : {} },
        body: ops as never,
      });
      if (!response.ok || !data) throw await toApiError(response, error);
      return { project: data as Project, etag: etagOf(response) };
    },
    onSuccess: (saved) => {
      qc.setQueryData(projectKey(org, routeId), saved);
      void qc.invalidateQueries({ queryKey: ["projects", org] });
      onOpenChange(false);
      onSaved?.(saved.project);
    },
  });
  const reload = useMutation({
    mutationFn: () => fetchProject(org, start.project.id),
    onSuccess: (fresh) => {
      qc.setQueryData(projectKey(org, routeId), fresh);
      setStart(fresh);
      setValues(initialValues(all, fresh.project));
      save.reset();
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 412;
  const errors = formErrors(save.error);
  const placed = formErrors(
    save.error,
    all.map((f) => f.name),
  );
  const showDetail = save.isError && !conflict && Object.keys(placed).length === 0;
  const ops = attributePatch(all, start.project, values);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Edit ${start.project.name}`}
      description="Changes are checked against the project's blueprints when you save."
      className="max-w-xl"
    >
      <form
        noValidate
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (ops.length === 0) onOpenChange(false);
          else save.mutate(ops);
        }}
      >
        {conflict ? (
          <div
            role="alert"
            className="grid gap-2 rounded-md border border-amber-500/60 bg-amber-500/10 p-3 text-sm"
          >
            <p className="font-medium">
              This project was changed by someone else since you opened it — reload to see their changes.
            </p>
            <p className="text-muted-foreground">Reloading replaces the values in this form with theirs.</p>
            <Button
              variant="outline"
              size="sm"
              className="w-fit"
              disabled={reload.isPending}
              onClick={() => reload.mutate()}
            >
              {reload.isPending ? "Reloading…" : "Reload"}
            </Button>
          </div>
        ) : null}
        {reload.isError ? <ProblemAlert error={reload.error} /> : null}
        {showDetail ? <ProblemAlert error={save.error} /> : null}
        {all.map((f) => (
          <AttributeInput
            key={f.name}
            field={f}
            value={values[f.name] ?? ""}
            error={errors[f.name]}
            onChange={(v) => setValues((cur) => ({ ...cur, [f.name]: v }))}
          />
        ))}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={save.isPending || reload.isPending}>
            {save.isPending ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
