// One list + create / edit / delete screen, shared by the reference data (teams, environments,
// project types, link definitions) and the admin lists (organizations, service accounts): a table
// with "load more" keyset paging, a form dialog whose fields come from a spec (the server's field
// errors land on the right field, anything else as its problem `detail`), edits sent as JSON Patch
// with the item's ETag in If-Match (a 412 says someone else changed it), and a confirmed delete.
// Controls the user may not use are not rendered; the API still decides.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { type ReactNode, useId, useState } from "react";
import { ApiError, keysetPaging } from "@/api/client";
import { EmptyState, Loading, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/input";

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

export interface FieldSpec {
  /** The body key (and the JSON Patch path). */
  name: string;
  label: string;
  kind?: "text" | "textarea" | "number" | "checkbox" | "color" | "select";
  required?: boolean;
  hint?: ReactNode;
  placeholder?: string;
  options?: { value: string; label: string }[];
  /** An empty value is sent as null (instead of being left out on create, or "" on edit). */
  nullable?: boolean;
  /** Only on the create form (the field cannot be changed afterwards). */
  createOnly?: boolean;
}

export interface ColumnSpec<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface JsonPatchOp {
  op: "replace" | "add" | "remove";
  path: string;
  value?: unknown;
}

export interface ResourceTableProps<T> {
  /** The thing in the singular, lower case ("team"): used in button labels and messages. */
  noun: string;
  /** A caption for the table (announced to screen readers). */
  caption: string;
  queryKey: readonly unknown[];
  listPage: (cursor: string | undefined) => Promise<Page<T>>;
  rowKey: (row: T) => string;
  rowLabel: (row: T) => string;
  columns: ColumnSpec<T>[];
  fields: FieldSpec[];
  /** The form's values for an item (defaults to the item's own fields). */
  toForm?: (row: T) => FormValues;
  create?: (body: Record<string, unknown>) => Promise<unknown>;
  /** Loads one item with its ETag, for the edit form's If-Match. */
  load?: (key: string) => Promise<{ data: T; etag?: string }>;
  update?: (key: string, patch: JsonPatchOp[], etag: string | undefined) => Promise<unknown>;
  remove?: (key: string) => Promise<unknown>;
  /** What deleting does, beyond "it is gone". */
  deleteWarning?: (row: T) => ReactNode;
  empty: { title: string; body: ReactNode };
  /** Whether a row may be edited and deleted (e.g. not system roles); default all. */
  rowWritable?: (row: T) => boolean;
  /** More actions per row (links, members…). */
  rowActions?: (row: T) => ReactNode;
  /** Invalidated too after a write (e.g. `["me"]`). */
  alsoInvalidate?: readonly unknown[][];
}

/** The blank form for `fields`. */
export function blankForm(fields: FieldSpec[]): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f.name] = f.kind === "checkbox" ? false : "";
  return out;
}

function formOf(fields: FieldSpec[], row: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = row[f.name];
    out[f.name] = f.kind === "checkbox" ? v === true : v === null || v === undefined ? "" : String(v);
  }
  return out;
}

function wireValue(f: FieldSpec, v: FormValue): unknown {
  if (f.kind === "checkbox") return v === true;
  const s = String(v).trim();
  if (s === "") return f.nullable ? null : "";
  if (f.kind === "number") return Number(s);
  return s;
}

/** The create body: empty optional fields are left out (the server's defaults apply). */
export function createBody(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = wireValue(f, values[f.name] ?? "");
    if ((v === "" || v === null) && !f.required) continue;
    body[f.name] = v;
  }
  return body;
}

/** JSON Patch `replace` operations for the fields that changed. */
export function diffPatch(fields: FieldSpec[], before: FormValues, after: FormValues): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  for (const f of fields) {
    if (f.createOnly) continue;
    const a = wireValue(f, before[f.name] ?? "");
    const b = wireValue(f, after[f.name] ?? "");
    if (a !== b) ops.push({ op: "replace", path: `/${f.name}`, value: b });
  }
  return ops;
}

/**
 * The form field a problem's error location names: `json.slug` / `body.slug` (a create body),
 * `json.slug` (a patched resource), `/slug` (a JSON Pointer) all name `slug`.
 */
export function fieldName(location: string): string {
  const rest = location.replace(/^(json|body)(\.|$)/, "").replace(/^\//, "");
  return rest.split(/[./]/)[0] ?? rest;
}

/**
 * The server's field errors keyed by form field: create bodies report `slug`, JSON Patch
 * validation reports the patched path (`/slug`, `0.value`, …) — whatever names a field we show.
 */
export function errorsByField(err: unknown, fields: FieldSpec[]): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const raw = err.fieldErrors();
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(raw)) {
    const name = fieldName(key);
    if (fields.some((f) => f.name === name) && !(name in out)) out[name] = message;
  }
  return out;
}

export function FormFields({
  fields,
  values,
  onChange,
  errors,
  mode,
}: {
  fields: FieldSpec[];
  values: FormValues;
  onChange: (name: string, value: FormValue) => void;
  errors: Record<string, string>;
  mode: "create" | "edit";
}) {
  const prefix = useId();
  return (
    <>
      {fields
        .filter((f) => mode === "create" || !f.createOnly)
        .map((f) => {
          const id = `${prefix}-${f.name}`;
          const error = errors[f.name];
          const described = error ? `${id}-error` : f.hint ? `${id}-hint` : undefined;
          const common = {
            id,
            name: f.name,
            "aria-invalid": error ? true : undefined,
            "aria-describedby": described,
            required: f.required,
          } as const;
          const value = values[f.name];
          if (f.kind === "checkbox")
            return (
              <div key={f.name} className="grid gap-1">
                <div className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    {...common}
                    checked={value === true}
                    onChange={(e) => onChange(f.name, e.target.checked)}
                  />
                  <label htmlFor={id} className="text-sm">
                    {f.label}
                  </label>
                </div>
                {error ? (
                  <p id={`${id}-error`} role="alert" className="text-xs font-medium text-destructive">
                    {error}
                  </p>
                ) : null}
              </div>
            );
          return (
            <Field key={f.name} id={id} label={f.label} hint={f.hint} error={error}>
              {f.kind === "textarea" ? (
                <Textarea
                  {...common}
                  value={String(value ?? "")}
                  onChange={(e) => onChange(f.name, e.target.value)}
                />
              ) : f.kind === "select" ? (
                <Select
                  {...common}
                  value={String(value ?? "")}
                  onChange={(e) => onChange(f.name, e.target.value)}
                >
                  {f.required ? null : <option value="">—</option>}
                  {(f.options ?? []).map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </Select>
              ) : (
                <Input
                  {...common}
                  type={f.kind === "number" ? "number" : "text"}
                  placeholder={f.placeholder ?? (f.kind === "color" ? "#1f77b4" : undefined)}
                  value={String(value ?? "")}
                  onChange={(e) => onChange(f.name, e.target.value)}
                />
              )}
            </Field>
          );
        })}
    </>
  );
}

/** A create or edit dialog over a field spec, showing the server's errors where they belong. */
export function ResourceFormDialog({
  open,
  onOpenChange,
  title,
  fields,
  initial,
  mode,
  submitLabel,
  onSubmit,
  onDone,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  fields: FieldSpec[];
  initial: FormValues;
  mode: "create" | "edit";
  submitLabel: string;
  onSubmit: (values: FormValues) => Promise<unknown>;
  onDone: () => void;
}) {
  const [values, setValues] = useState<FormValues>(initial);
  const mutation = useMutation({ mutationFn: onSubmit, onSuccess: onDone });
  const fieldErrors = errorsByField(mutation.error, fields);
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title}>
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate(values);
        }}
      >
        <FormFields
          fields={fields}
          values={values}
          errors={fieldErrors}
          mode={mode}
          onChange={(name, v) => setValues((old) => ({ ...old, [name]: v }))}
        />
        {mutation.error && !hasFieldErrors ? (
          <ProblemAlert
            error={
              mutation.error instanceof ApiError && mutation.error.status === 412
                ? new Error(
                    "Someone else changed this since you opened it — close the dialog and edit it again.",
                  )
                : mutation.error
            }
          />
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? "Saving…" : submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function EditDialog<T>({
  props,
  row,
  onClose,
  onSaved,
}: {
  props: ResourceTableProps<T>;
  row: T;
  onClose: () => void;
  onSaved: () => void;
}) {
  const key = props.rowKey(row);
  const toForm = props.toForm ?? ((r: T) => formOf(props.fields, r as Record<string, unknown>));
  const loaded = useQuery({
    queryKey: [...props.queryKey, "item", key],
    queryFn: () => (props.load ? props.load(key) : Promise.resolve({ data: row, etag: undefined })),
    staleTime: 0,
    gcTime: 0,
  });
  if (loaded.isPending)
    return (
      <Dialog open onOpenChange={(o) => !o && onClose()} title={`Edit ${props.rowLabel(row)}`}>
        <Loading />
      </Dialog>
    );
  if (loaded.isError)
    return (
      <Dialog open onOpenChange={(o) => !o && onClose()} title={`Edit ${props.rowLabel(row)}`}>
        <ProblemAlert error={loaded.error} onRetry={() => loaded.refetch()} />
      </Dialog>
    );
  const initial = toForm(loaded.data.data);
  return (
    <ResourceFormDialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Edit ${props.rowLabel(row)}`}
      fields={props.fields}
      initial={initial}
      mode="edit"
      submitLabel="Save changes"
      onSubmit={async (values) => {
        const patch = diffPatch(props.fields, initial, values);
        if (patch.length === 0 || !props.update) return undefined;
        return props.update(key, patch, loaded.data.etag);
      }}
      onDone={onSaved}
    />
  );
}

export function ResourceTable<T>(props: ResourceTableProps<T>) {
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<T | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const [status, setStatus] = useState("");
  const list = useInfiniteQuery({
    queryKey: props.queryKey,
    queryFn: ({ pageParam }) => props.listPage(pageParam),
    ...keysetPaging,
  });
  const invalidate = async () => {
    await qc.invalidateQueries({ queryKey: props.queryKey });
    for (const k of props.alsoInvalidate ?? []) await qc.invalidateQueries({ queryKey: k });
  };
  const del = useMutation({
    mutationFn: (row: T) => (props.remove ? props.remove(props.rowKey(row)) : Promise.resolve()),
    onSuccess: async (_d, row) => {
      setDeleting(null);
      setStatus(`Deleted ${props.rowLabel(row)}.`);
      await invalidate();
    },
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const canEdit = Boolean(props.update);
  const canDelete = Boolean(props.remove);
  const hasActions = canEdit || canDelete || Boolean(props.rowActions);

  return (
    <div className="grid gap-3">
      <div className="flex items-center justify-between gap-2">
        <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
          {status}
        </p>
        {props.create ? (
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden /> New {props.noun}
          </Button>
        ) : null}
      </div>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ProblemAlert error={list.error} onRetry={() => list.refetch()} /> : null}
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={props.empty.title}
          action={
            props.create ? (
              <Button variant="outline" onClick={() => setCreating(true)}>
                <Plus aria-hidden /> New {props.noun}
              </Button>
            ) : null
          }
        >
          {props.empty.body}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm">
            <caption className="sr-only">{props.caption}</caption>
            <thead className="bg-muted/50 text-left text-muted-foreground">
              <tr>
                {props.columns.map((c) => (
                  <th key={c.header} scope="col" className="px-3 py-2 font-medium">
                    {c.header}
                  </th>
                ))}
                {hasActions ? (
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={props.rowKey(row)} className="border-t align-top">
                  {props.columns.map((c) => (
                    <td key={c.header} className={c.className ?? "px-3 py-2"}>
                      {c.cell(row)}
                    </td>
                  ))}
                  {hasActions ? (
                    <td className="px-3 py-2">
                      <div className="flex flex-wrap justify-end gap-1">
                        {props.rowActions?.(row)}
                        {canEdit && (props.rowWritable?.(row) ?? true) ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-label={`Edit ${props.rowLabel(row)}`}
                            onClick={() => setEditing(row)}
                          >
                            <Pencil aria-hidden /> Edit
                          </Button>
                        ) : null}
                        {canDelete && (props.rowWritable?.(row) ?? true) ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-label={`Delete ${props.rowLabel(row)}`}
                            onClick={() => {
                              del.reset();
                              setDeleting(row);
                            }}
                          >
                            <Trash2 aria-hidden /> Delete
                          </Button>
                        ) : null}
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.hasNextPage ? (
        <Button
          variant="outline"
          className="w-fit"
          disabled={list.isFetchingNextPage}
          onClick={() => list.fetchNextPage()}
        >
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
      {list.isFetchNextPageError ? <ProblemAlert error={list.error} /> : null}

      {creating && props.create ? (
        <ResourceFormDialog
          open
          onOpenChange={setCreating}
          title={`New ${props.noun}`}
          fields={props.fields}
          initial={blankForm(props.fields)}
          mode="create"
          submitLabel={`Create ${props.noun}`}
          onSubmit={(values) =>
            props.create ? props.create(createBody(props.fields, values)) : Promise.resolve()
          }
          onDone={async () => {
            setCreating(false);
            setStatus(`Created the ${props.noun}.`);
            await invalidate();
          }}
        />
      ) : null}
      {editing ? (
        <EditDialog
          props={props}
          row={editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setStatus(`Saved ${props.rowLabel(editing)}.`);
            setEditing(null);
            await invalidate();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          open
          onOpenChange={(o) => !o && setDeleting(null)}
          title={`Delete ${props.rowLabel(deleting)}?`}
          description={
            props.deleteWarning?.(deleting) ?? `This deletes the ${props.noun}; it cannot be undone.`
          }
          confirmLabel={`Delete ${props.noun}`}
          pending={del.isPending}
          onConfirm={() => del.mutate(deleting)}
        >
          {del.error ? <ProblemAlert error={del.error} /> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
