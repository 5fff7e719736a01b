// The catalog's filters with facet counts beside each value: choosing a value narrows the list,
// choosing it again clears it. Counts come from GET …/projects/facets under the other filters.
import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useEffect, useState } from "react";
import { api, unwrap } from "@/api/client";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import {
  ATTRIBUTE_OPS,
  type AttributeOp,
  type CatalogQuery,
  describeAttributeFilter,
  type FacetField,
  facetParams,
  formatAttributeFilter,
  opLabel,
} from "./filters";
import { namesBySlug, useEnvironments, useLinkDefinitions, useProjectTypes, useTeams } from "./lookups";

const FACET_TITLES: Record<FacetField, string> = {
  team: "Team",
  project_type: "Project type",
  environment: "Environment",
};

function Facet({
  org,
  query,
  field,
  nameOf,
  onChange,
}: {
  org: string;
  query: CatalogQuery;
  field: FacetField;
  nameOf: (slug: string) => string;
  onChange: (value: string | undefined) => void;
}) {
  const params = facetParams(query, field);
  const facets = useQuery({
    queryKey: ["projects", org, "facets", params],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/facets", { params: { path: { org }, query: params } }),
      ),
  });
  const selected = query[field];
  const headingId = `facet-${field}`;
  return (
    <section aria-labelledby={headingId} className="grid gap-1">
      <h2 id={headingId} className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">
        {FACET_TITLES[field]}
      </h2>
      {facets.isPending ? (
        <div className="grid gap-1" role="status" aria-label={`Loading ${FACET_TITLES[field]} counts`}>
          <Skeleton className="h-6" />
          <Skeleton className="h-6" />
        </div>
      ) : facets.isError ? (
        <ProblemAlert error={facets.error} onRetry={() => facets.refetch()} />
      ) : facets.data.data.length === 0 ? (
        <p className="text-xs text-muted-foreground">No values under these filters.</p>
      ) : (
        <ul className="grid gap-0.5">
          {facets.data.data.map((f) => {
            const value = String(f.value ?? "");
            const active = value === selected;
            return (
              <li key={value}>
                <button
                  type="button"
                  aria-pressed={active}
                  onClick={() => onChange(active ? undefined : value)}
                  className={cn(
                    "flex w-full items-center justify-between gap-2 rounded px-2 py-1 text-left text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                    active && "bg-accent font-medium",
                  )}
                >
                  <span className="truncate">{nameOf(value)}</span>
                  <span className="tabular-nums text-xs text-muted-foreground">
                    {f.count}
                    <span className="sr-only"> projects</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function AttributeFilterForm({ onAdd }: { onAdd: (f: string) => void }) {
  const [field, setField] = useState("");
  const [op, setOp] = useState<AttributeOp>("eq");
  const [value, setValue] = useState("");
  const needsValue = op !== "exists" && op !== "not_exists";
  const valid = /^[a-z_][a-z0-9_]*$/.test(field) && (!needsValue || value !== "");
  return (
    <form
      className="grid gap-1.5"
      aria-label="Add an attribute filter"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        onAdd(formatAttributeFilter({ field, op, value }));
        setField("");
        setValue("");
      }}
    >
      <Label htmlFor="attr-field">Attribute</Label>
      <Input
        id="attr-field"
        placeholder="e.g. tier"
        value={field}
        onChange={(e) => setField(e.target.value.trim())}
      />
      <div className="flex gap-1.5">
        <div className="w-24">
          <Label htmlFor="attr-op" className="sr-only">
            Operator
          </Label>
          <Select id="attr-op" value={op} onChange={(e) => setOp(e.target.value as AttributeOp)}>
            {ATTRIBUTE_OPS.map((o) => (
              <option key={o} value={o}>
                {opLabel(o)}
              </option>
            ))}
          </Select>
        </div>
        {needsValue ? (
          <div className="flex-1">
            <Label htmlFor="attr-value" className="sr-only">
              Value
            </Label>
            <Input
              id="attr-value"
              placeholder={op === "in" || op === "not_in" ? "a|b" : "value"}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </div>
        ) : null}
      </div>
      <Button type="submit" size="sm" variant="outline" disabled={!valid}>
        Add filter
      </Button>
    </form>
  );
}

export function FacetPanel({
  org,
  query,
  onChange,
}: {
  org: string;
  query: CatalogQuery;
  onChange: (next: CatalogQuery) => void;
}) {
  const teams = useTeams(org);
  const types = useProjectTypes(org);
  const envs = useEnvironments(org);
  const links = useLinkDefinitions(org);
  const [identifier, setIdentifier] = useState(query.has_identifier ?? "");
  // The URL wins: "clear filters" and the back button change it under the input.
  useEffect(() => setIdentifier(query.has_identifier ?? ""), [query.has_identifier]);
  const names = {
    team: namesBySlug(teams.data),
    project_type: namesBySlug(types.data),
    environment: namesBySlug(envs.data),
  };
  const set = (patch: Partial<CatalogQuery>) => onChange({ ...query, ...patch });
  return (
    <div className="grid content-start gap-5">
      {(["team", "project_type", "environment"] as const).map((field) => (
        <Facet
          key={field}
          org={org}
          query={query}
          field={field}
          nameOf={names[field]}
          onChange={(v) => set({ [field]: v })}
        />
      ))}
      <div className="grid gap-1.5">
        <Label htmlFor="filter-archived">Archived</Label>
        <Select
          id="filter-archived"
          value={query.archived ?? "false"}
          onChange={(e) => {
            const v = e.target.value;
            set({ archived: v === "true" || v === "all" ? v : undefined });
          }}
        >
          <option value="false">Active projects</option>
          <option value="true">Archived only</option>
          <option value="all">Active and archived</option>
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-link">Has link</Label>
        <Select
          id="filter-link"
          value={query.has_link ?? ""}
          onChange={(e) => set({ has_link: e.target.value || undefined })}
        >
          <option value="">Any</option>
          {links.data?.data.map((l) => (
            <option key={l.slug} value={l.slug}>
              {l.name}
            </option>
          ))}
        </Select>
        {links.isError ? <ProblemAlert error={links.error} /> : null}
      </div>
      <form
        className="grid gap-1.5"
        onSubmit={(e) => {
          e.preventDefault();
          set({ has_identifier: identifier.trim() || undefined });
        }}
      >
        <Label htmlFor="filter-identifier">Has identifier</Label>
        <Input
          id="filter-identifier"
          placeholder="e.g. sentry, then Enter"
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          onBlur={() => {
            if ((identifier.trim() || undefined) !== query.has_identifier)
              set({ has_identifier: identifier.trim() || undefined });
          }}
        />
      </form>
      <section aria-labelledby="facet-attributes" className="grid gap-1.5">
        <h2
          id="facet-attributes"
          className="text-xs font-semibold uppercase tracking-wide text-muted-foreground"
        >
          Blueprint attributes
        </h2>
        {query.filter.length ? (
          <ul className="flex flex-wrap gap-1">
            {query.filter.map((f) => (
              <li key={f}>
                <span className="inline-flex items-center gap-1 rounded border bg-muted px-1.5 py-0.5 text-xs">
                  {describeAttributeFilter(f)}
                  <button
                    type="button"
                    className="rounded hover:text-destructive focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    aria-label={`Remove filter ${describeAttributeFilter(f)}`}
                    onClick={() => set({ filter: query.filter.filter((x) => x !== f) })}
                  >
                    <X className="size-3" aria-hidden />
                  </button>
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        <AttributeFilterForm
          onAdd={(f) => {
            if (!query.filter.includes(f)) set({ filter: [...query.filter, f] });
          }}
        />
      </section>
    </div>
  );
}
