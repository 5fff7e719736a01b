// The organization's operations log: the global feed (GET /api/operations-log) with its filters in
// the URL (project, environment, type, who, ticket, text, date range), "load more" paging, and a
// "New entry" dialog whose server field errors land on the fields. Entries link to their project.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, keysetPaging, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { when } from "@/components/reference/fetchers";
import {
  dayToInstant,
  ENTRY_TYPES,
  type EntryType,
  FILTERS,
  localToInstant,
} from "@/components/reference/oplog";
import {
  errorsByField,
  type FieldSpec,
  FormFields,
  type FormValues,
} from "@/components/reference/ResourceTable";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

type Entry = components["schemas"]["OperationEntry"];

function useProjects(org: string) {
  return useQuery({
    queryKey: ["projects", org, "names"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects", {
          params: { path: { org }, query: { limit: 500, sort: "name", fields: "slug,name" } },
        }),
      ).then((p) => p.data.map((x) => ({ id: x.id, name: String((x as { name?: string }).name ?? x.id) }))),
    staleTime: 60_000,
  });
}

function useEnvironments(org: string) {
  return useQuery({
    queryKey: ["environments", org, "all"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/environments", {
          params: { path: { org }, query: { limit: 200 } },
        }),
      ).then((p) => p.data),
    staleTime: 60_000,
  });
}

export function OperationsLog() {
  const { slug: org, can } = useOrg();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState("");
  const id = useId();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const projects = useProjects(org);
  const environments = useEnvironments(org);
  const names = new Map((projects.data ?? []).map((p) => [p.id, p.name]));
  const query = {
    organization: org,
    project_id: filters.project_id || undefined,
    environment_slug: filters.environment_slug || undefined,
    entry_type: (filters.entry_type || undefined) as EntryType | undefined,
    performed_by: filters.performed_by || undefined,
    ticket_slug: filters.ticket_slug || undefined,
    q: filters.q || undefined,
    since: dayToInstant(filters.since, false),
    until: dayToInstant(filters.until, true),
  };
  const feed = useInfiniteQuery({
    queryKey: ["operations-log", org, query],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/operations-log", { params: { query: { ...query, limit: 50, cursor: pageParam } } }),
      ),
    ...keysetPaging,
  });
  const setFilter = (name: string, value: string) =>
    setParams((p) => {
      if (value) p.set(name, value);
      else p.delete(name);
      return p;
    });
  const rows = feed.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = FILTERS.some((f) => filters[f]);

  return (
    <>
      <PageHeader
        title="Operations log"
        description="Deployments, migrations, restarts and other changes, across the organization."
        actions={
          can("operations_log:create") ? (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New entry
            </Button>
          ) : null
        }
      />
      <form
        aria-label="Filters"
        className="mb-4 grid grid-cols-2 gap-3 rounded-lg border p-3 lg:grid-cols-4"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field id={`${id}-project`} label="Project">
          <Select
            id={`${id}-project`}
            value={filters.project_id}
            onChange={(e) => setFilter("project_id", e.target.value)}
          >
            <option value="">All projects</option>
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id={`${id}-env`} label="Environment">
          <Select
            id={`${id}-env`}
            value={filters.environment_slug}
            onChange={(e) => setFilter("environment_slug", e.target.value)}
          >
            <option value="">All environments</option>
            {(environments.data ?? []).map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id={`${id}-type`} label="Type">
          <Select
            id={`${id}-type`}
            value={filters.entry_type}
            onChange={(e) => setFilter("entry_type", e.target.value)}
          >
            <option value="">All types</option>
            {ENTRY_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        <Field id={`${id}-who`} label="Performed by">
          <Input
            id={`${id}-who`}
            value={filters.performed_by}
            onChange={(e) => setFilter("performed_by", e.target.value)}
          />
        </Field>
        <Field id={`${id}-ticket`} label="Ticket">
          <Input
            id={`${id}-ticket`}
            value={filters.ticket_slug}
            onChange={(e) => setFilter("ticket_slug", e.target.value)}
          />
        </Field>
        <Field id={`${id}-q`} label="Text">
          <Input
            id={`${id}-q`}
            type="search"
            value={filters.q}
            onChange={(e) => setFilter("q", e.target.value)}
          />
        </Field>
        <Field id={`${id}-since`} label="From">
          <Input
            id={`${id}-since`}
            type="date"
            value={filters.since}
            onChange={(e) => setFilter("since", e.target.value)}
          />
        </Field>
        <Field id={`${id}-until`} label="To">
          <Input
            id={`${id}-until`}
            type="date"
            value={filters.until}
            onChange={(e) => setFilter("until", e.target.value)}
          />
        </Field>
      </form>
      <p role="status" aria-live="polite" className="mb-2 text-sm text-muted-foreground">
        {status}
      </p>
      {feed.isPending ? <Loading /> : null}
      <ProblemAlert error={feed.error} onRetry={() => feed.refetch()} />
      {feed.isSuccess && rows.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No entries match these filters"
            action={
              <Button variant="outline" onClick={() => setParams({})}>
                Clear filters
              </Button>
            }
          >
            Widen the date range or clear a filter.
          </EmptyState>
        ) : (
          <EmptyState title="Nothing recorded yet">
            {can("operations_log:create")
              ? "Record the first change (a deployment, a migration…) with “New entry”; CI can post them too."
              : "Entries appear here when someone records a change."}
          </EmptyState>
        )
      ) : null}
      {rows.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm">
            <caption className="sr-only">Operations log entries</caption>
            <thead className="bg-muted/50 text-left text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  When
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Project
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Environment
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Type
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Description
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  By
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} className="border-t align-top">
                  <td className="whitespace-nowrap px-3 py-2">
                    <time dateTime={e.occurred_at}>{when(e.occurred_at)}</time>
                  </td>
                  <td className="px-3 py-2">
                    <Link
                      className="font-medium underline-offset-4 hover:underline"
                      to={`/o/${org}/projects/${e.project_id}`}
                    >
                      {names.get(e.project_id) ?? e.project_id}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{e.environment_slug}</td>
                  <td className="px-3 py-2">
                    <Badge tone={e.entry_type === "Rolled Back" ? "warn" : "muted"}>{e.entry_type}</Badge>
                  </td>
                  <td className="px-3 py-2">
                    {e.description}
                    {e.version ? (
                      <span className="ml-2 text-xs text-muted-foreground">v {e.version}</span>
                    ) : null}
                    {e.ticket_slug ? (
                      <span className="ml-2 text-xs text-muted-foreground">{e.ticket_slug}</span>
                    ) : null}
                    {e.link ? (
                      <a
                        className="ml-2 text-xs text-primary underline-offset-4 hover:underline"
                        href={e.link}
                        rel="noreferrer"
                      >
                        Details ({new URL(e.link, window.location.href).host})
                      </a>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-muted-foreground">{e.performed_by ?? e.recorded_by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {feed.hasNextPage ? (
        <Button
          variant="outline"
          className="mt-3"
          disabled={feed.isFetchingNextPage}
          onClick={() => feed.fetchNextPage()}
        >
          {feed.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
      {creating ? (
        <NewEntryDialog
          org={org}
          projects={projects.data ?? []}
          environments={environments.data ?? []}
          defaultProject={filters.project_id}
          onClose={() => setCreating(false)}
          onCreated={(e) => {
            setCreating(false);
            setStatus(`Recorded “${e.description}”.`);
          }}
        />
      ) : null}
    </>
  );
}

function NewEntryDialog({
  org,
  projects,
  environments,
  defaultProject,
  onClose,
  onCreated,
}: {
  org: string;
  projects: { id: string; name: string }[];
  environments: { slug: string; name: string }[];
  defaultProject: string;
  onClose: () => void;
  onCreated: (e: Entry) => void;
}) {
  const qc = useQueryClient();
  const id = useId();
  const fields: FieldSpec[] = [
    {
      name: "project_id",
      label: "Project",
      kind: "select",
      required: true,
      options: projects.map((p) => ({ value: p.id, label: p.name })),
    },
    {
      name: "environment_slug",
      label: "Environment",
      kind: "select",
      required: true,
      options: environments.map((e) => ({ value: e.slug, label: e.name })),
    },
    {
      name: "entry_type",
      label: "Type",
      kind: "select",
      required: true,
      options: ENTRY_TYPES.map((t) => ({ value: t, label: t })),
    },
    { name: "description", label: "Description", required: true, placeholder: "Deployed v1.4.2" },
    { name: "version", label: "Version", nullable: true },
    { name: "ticket_slug", label: "Ticket", nullable: true, placeholder: "OPS-123" },
    { name: "link", label: "Link", nullable: true, placeholder: "https://ci.example.com/runs/42" },
    { name: "notes", label: "Notes", kind: "textarea", nullable: true },
  ];
  const [values, setValues] = useState<FormValues>({
    project_id: defaultProject || (projects[0]?.id ?? ""),
    environment_slug: environments[0]?.slug ?? "",
    entry_type: "Deployed",
    description: "",
    version: "",
    ticket_slug: "",
    link: "",
    notes: "",
  });
  const [occurred, setOccurred] = useState("");
  const create = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) {
        const s = String(v).trim();
        if (s !== "" || ["project_id", "environment_slug", "entry_type", "description"].includes(k))
          body[k] = s;
      }
      const at = localToInstant(occurred);
      if (at) body.occurred_at = at;
      return unwrap(
        api.POST("/api/operations-log", { body: body as components["schemas"]["CreateOperationEntry"] }),
      );
    },
    onSuccess: async (e) => {
      await qc.invalidateQueries({ queryKey: ["operations-log", org] });
      onCreated(e);
    },
  });
  const errors = errorsByField(create.error, [...fields, { name: "occurred_at", label: "" }]);
  const hasFieldErrors = Object.keys(errors).length > 0;
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title="New operations log entry">
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <FormFields
          fields={fields}
          values={values}
          errors={errors}
          mode="create"
          onChange={(name, v) => setValues((old) => ({ ...old, [name]: v }))}
        />
        <Field
          id={`${id}-occurred`}
          label="Occurred at"
          hint="Leave empty for now."
          error={errors.occurred_at}
        >
          <Input
            id={`${id}-occurred`}
            type="datetime-local"
            step={1}
            value={occurred}
            aria-invalid={errors.occurred_at ? true : undefined}
            onChange={(e) => setOccurred(e.target.value)}
          />
        </Field>
        {create.error && !hasFieldErrors ? <ProblemAlert error={create.error} /> : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Saving…" : "Record entry"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
