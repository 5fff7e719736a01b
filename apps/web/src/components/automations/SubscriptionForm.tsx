// The fields of an outbound subscription (create and edit): the URL (the server's SSRF refusal
// shows on it), description, entity types and actions (empty: all), projects and teams (empty:
// all), active.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { when } from "@/components/reference/fetchers";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { StatusBadge } from "./common";

export type Subscription = components["schemas"]["WebhookSubscription"];
type Create = components["schemas"]["CreateWebhookSubscription"];
type EntityType = NonNullable<Create["entity_types"]>[number];
type Action = NonNullable<Create["actions"]>[number];

export const ENTITY_TYPES: EntityType[] = [
  "project",
  "operations_log",
  "score",
  "release",
  "deployment",
  "release_blocker",
  "dependency",
];
export const ACTIONS: Action[] = ["created", "updated", "deleted", "changed"];

export interface SubscriptionValues {
  url: string;
  description: string;
  entity_types: EntityType[];
  actions: Action[];
  projects: string[];
  teams: string[];
  active: boolean;
}

export const EMPTY_SUBSCRIPTION: SubscriptionValues = {
  url: "",
  description: "",
  entity_types: [],
  actions: [],
  projects: [],
  teams: [],
  active: true,
};

export const valuesOf = (s: Subscription): SubscriptionValues => ({
  url: s.url,
  description: s.description,
  entity_types: [...s.entity_types],
  actions: [...s.actions],
  projects: [...s.projects],
  teams: [...s.teams],
  active: s.active,
});

function CheckboxGroup<T extends string>({
  legend,
  hint,
  options,
  value,
  onChange,
  disabled,
}: {
  legend: string;
  hint: string;
  options: T[];
  value: T[];
  onChange: (v: T[]) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset className="grid gap-1.5">
      <legend className="text-sm font-medium">{legend}</legend>
      <p className="text-xs text-muted-foreground">{hint}</p>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={value.includes(o)}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))}
            />
            {o}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function SubscriptionForm({
  org,
  initial,
  submitLabel,
  onSubmit,
  error,
  pending,
  readOnly,
  onCancel,
  extraError,
}: {
  org: string;
  initial: SubscriptionValues;
  submitLabel: string;
  onSubmit: (v: SubscriptionValues) => void;
  error: unknown;
  pending: boolean;
  readOnly?: boolean;
  onCancel?: () => void;
  /** Shown instead of the generic problem (e.g. a 412 with its reload button). */
  extraError?: React.ReactNode;
}) {
  const [v, setV] = useState(initial);
  const set = (p: Partial<SubscriptionValues>) => setV((x) => ({ ...x, ...p }));
  const projects = useQuery({
    queryKey: ["projects", org, "pick"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects", { params: { path: { org }, query: { limit: 500 } } }),
      ),
  });
  const teams = useQuery({
    queryKey: ["teams", org, "pick"],
    queryFn: () =>
      unwrap(api.GET("/api/organizations/{org}/teams", { params: { path: { org }, query: { limit: 500 } } })),
  });
  const errors = error instanceof ApiError ? error.fieldErrors() : {};
  const fieldless = error && Object.keys(errors).length === 0;
  const selected = (e: React.ChangeEvent<HTMLSelectElement>) =>
    [...e.target.selectedOptions].map((o) => o.value);
  return (
    <form
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(v);
      }}
    >
      <Field
        id="sub-url"
        label="URL"
        hint="https, to a public address: private, loopback and link-local targets are refused."
        error={errors.url}
      >
        <Input
          id="sub-url"
          type="url"
          required
          readOnly={readOnly}
          value={v.url}
          placeholder="https://hooks.example.com/imbi"
          aria-invalid={errors.url ? true : undefined}
          aria-describedby={errors.url ? "sub-url-error" : "sub-url-hint"}
          onChange={(e) => set({ url: e.target.value })}
        />
      </Field>
      <Field id="sub-description" label="Description" error={errors.description}>
        <Textarea
          id="sub-description"
          readOnly={readOnly}
          value={v.description}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? "sub-description-error" : undefined}
          onChange={(e) => set({ description: e.target.value })}
        />
      </Field>
      <CheckboxGroup
        legend="Entity types"
        hint="Only events about these; none checked: all."
        options={ENTITY_TYPES}
        value={v.entity_types}
        disabled={readOnly}
        onChange={(entity_types) => set({ entity_types })}
      />
      <CheckboxGroup
        legend="Actions"
        hint="Only events with these actions; none checked: all."
        options={ACTIONS}
        value={v.actions}
        disabled={readOnly}
        onChange={(actions) => set({ actions })}
      />
      <div className="grid grid-cols-2 gap-3">
        <Field
          id="sub-projects"
          label="Projects"
          hint="Only these projects' events; none selected: all (Ctrl/⌘-click selects several)."
          error={errors.projects}
        >
          <Select
            id="sub-projects"
            multiple
            disabled={readOnly}
            className="h-32"
            value={v.projects}
            aria-describedby={errors.projects ? "sub-projects-error" : "sub-projects-hint"}
            onChange={(e) => set({ projects: selected(e) })}
          >
            {(projects.data?.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id="sub-teams"
          label="Teams"
          hint="Only events of projects these teams own; none selected: all."
          error={errors.teams}
        >
          <Select
            id="sub-teams"
            multiple
            disabled={readOnly}
            className="h-32"
            value={v.teams}
            aria-describedby={errors.teams ? "sub-teams-error" : "sub-teams-hint"}
            onChange={(e) => set({ teams: selected(e) })}
          >
            {(teams.data?.data ?? []).map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={v.active}
          disabled={readOnly}
          onChange={(e) => set({ active: e.target.checked })}
        />
        Active (events are delivered)
      </label>
      <ProblemAlert error={projects.error ?? teams.error} />
      {extraError ?? (fieldless ? <ProblemAlert error={error} /> : null)}
      {!readOnly ? (
        <div className="flex justify-end gap-2">
          {onCancel ? (
            <Button type="button" variant="outline" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" disabled={pending}>
            {submitLabel}
          </Button>
        </div>
      ) : null}
    </form>
  );
}

/** The create body or the patch: only what is set (create) or what changed (patch). */
export function subscriptionPatch(before: SubscriptionValues, after: SubscriptionValues) {
  const ops: { op: "replace"; path: string; value: unknown }[] = [];
  for (const k of Object.keys(after) as (keyof SubscriptionValues)[]) {
    if (JSON.stringify(after[k]) !== JSON.stringify(before[k]))
      ops.push({ op: "replace", path: `/${k}`, value: after[k] });
  }
  return ops;
}

/** The circuit breaker in words: closed, or open until when, with the failures in a row. */
export function Circuit({ s }: { s: Subscription }) {
  const open = s.circuit_open_until && new Date(s.circuit_open_until).getTime() > Date.now();
  return (
    <span className="grid gap-0.5">
      {open ? (
        <span>
          <StatusBadge status="open" /> <span className="text-xs">until {when(s.circuit_open_until)}</span>
        </span>
      ) : (
        <span className="text-sm">closed</span>
      )}
      <span className="text-xs text-muted-foreground">
        {s.consecutive_failures} failure{s.consecutive_failures === 1 ? "" : "s"} in a row
      </span>
    </span>
  );
}
