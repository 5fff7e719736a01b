// The create/edit form for one scoring policy: the common fields, then the fields of its category.
// Server validation errors land on their fields; anything else shows the problem's detail.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "@/api/client";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import {
  CATEGORIES,
  type Category,
  diffPatch,
  emptyForm,
  FormError,
  fieldKey,
  fromForm,
  type PolicyDoc,
  type PolicyForm,
  toForm,
} from "./policyForm";

export function PolicyFormView({
  policy,
  onDone,
}: {
  /** The stored policy when editing; undefined to create one. */
  policy?: PolicyDoc;
  onDone: (slug?: string) => void;
}) {
  const qc = useQueryClient();
  const [form, setForm] = useState<PolicyForm>(() => (policy ? toForm(policy) : emptyForm()));
  const [localError, setLocalError] = useState<FormError | undefined>();
  const set = <K extends keyof PolicyForm>(k: K, v: PolicyForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const save = useMutation({
    mutationFn: async (doc: PolicyDoc) => {
      if (!policy) return unwrap(api.POST("/api/scoring/policies", { body: doc as never }));
      const ops = diffPatch(policy, doc);
      return unwrap(
        api.PATCH("/api/scoring/policies/{slug}", {
          params: { path: { slug: policy.slug as string } },
          body: ops as never,
        }),
      );
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: ["scoring-policies"] });
      await qc.invalidateQueries({ queryKey: ["scores"] });
      await qc.invalidateQueries({ queryKey: ["projects"] });
      onDone((saved as { slug?: string }).slug);
    },
  });

  const server: Record<string, string> = {};
  if (save.error instanceof ApiError)
    for (const [k, v] of Object.entries(save.error.fieldErrors())) server[fieldKey(k)] ??= v;
  const err = (k: string) => (localError?.field === k ? localError.message : server[k]);
  const shownKeys = new Set([
    "slug",
    "name",
    "description",
    "weight",
    "priority",
    "targets",
    "category",
    "attribute_name",
    "link_slug",
    "environment_slug",
    "map",
    "present_score",
    "missing_score",
    "true_score",
    "false_score",
    "condition",
  ]);
  const unplaced = Object.keys(server).some((k) => !shownKeys.has(k));
  const inv = (k: string) => ({
    "aria-invalid": err(k) ? true : undefined,
    "aria-describedby": err(k) ? `policy-${k}-error` : undefined,
  });
  const c = form.category;
  const mapLabel =
    c === "attribute"
      ? form.map_kind === "range"
        ? "Range → score (one per line, e.g. 90.. = 100)"
        : "Value → score (one per line, e.g. python = 100)"
      : c === "age"
        ? "Age rule → score (first match wins, e.g. <30d = 100)"
        : "Status → score (e.g. failed = 0; empty for the defaults)";

  return (
    <form
      className="grid gap-4"
      aria-label={policy ? `Edit ${policy.name as string}` : "New scoring policy"}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setLocalError(undefined);
        try {
          save.mutate(fromForm(form));
        } catch (x) {
          if (x instanceof FormError) setLocalError(x);
          else throw x;
        }
      }}
    >
      <div className="grid grid-cols-2 gap-3">
        <Field id="policy-name" label="Name" error={err("name")}>
          <Input
            id="policy-name"
            value={form.name}
            onChange={(e) => set("name", e.target.value)}
            {...inv("name")}
          />
        </Field>
        <Field
          id="policy-slug"
          label="Slug"
          hint={policy ? "Cannot change" : "Derived from the name when empty"}
          error={err("slug")}
        >
          <Input
            id="policy-slug"
            value={form.slug}
            disabled={Boolean(policy)}
            onChange={(e) => set("slug", e.target.value)}
            {...inv("slug")}
          />
        </Field>
      </div>
      <Field id="policy-description" label="Description" error={err("description")}>
        <Textarea
          id="policy-description"
          value={form.description}
          onChange={(e) => set("description", e.target.value)}
          {...inv("description")}
        />
      </Field>
      <div className="grid grid-cols-3 gap-3">
        <Field
          id="policy-weight"
          label="Weight"
          hint="0–100; 0 shows it without effect"
          error={err("weight")}
        >
          <Input
            id="policy-weight"
            type="number"
            value={form.weight}
            onChange={(e) => set("weight", e.target.value)}
            {...inv("weight")}
          />
        </Field>
        <Field id="policy-priority" label="Display order" error={err("priority")}>
          <Input
            id="policy-priority"
            type="number"
            value={form.priority}
            onChange={(e) => set("priority", e.target.value)}
            {...inv("priority")}
          />
        </Field>
        <div className="flex items-center gap-2 pt-6">
          <input
            id="policy-enabled"
            type="checkbox"
            className="size-4 accent-primary"
            checked={form.enabled}
            onChange={(e) => set("enabled", e.target.checked)}
          />
          <label htmlFor="policy-enabled" className="text-sm font-medium">
            Enabled
          </label>
        </div>
      </div>
      <Field
        id="policy-targets"
        label="Project types"
        hint="Comma-separated slugs; empty applies to every project"
        error={err("targets")}
      >
        <Input
          id="policy-targets"
          value={form.targets}
          onChange={(e) => set("targets", e.target.value)}
          {...inv("targets")}
        />
      </Field>
      <Field
        id="policy-category"
        label="Category"
        hint={CATEGORIES.find((x) => x.value === c)?.help}
        error={err("category")}
      >
        <Select
          id="policy-category"
          value={c}
          onChange={(e) => set("category", e.target.value as Category)}
          {...inv("category")}
        >
          {CATEGORIES.map((x) => (
            <option key={x.value} value={x.value}>
              {x.label}
            </option>
          ))}
        </Select>
      </Field>
      <fieldset className="grid gap-3 rounded-md border p-3">
        <legend className="px-1 text-sm font-medium">
          {CATEGORIES.find((x) => x.value === c)?.label} settings
        </legend>
        {c === "attribute" || c === "presence" || c === "age" ? (
          <Field
            id="policy-attribute_name"
            label="Attribute"
            hint="A blueprint attribute or a core field"
            error={err("attribute_name")}
          >
            <Input
              id="policy-attribute_name"
              value={form.attribute_name}
              onChange={(e) => set("attribute_name", e.target.value)}
              {...inv("attribute_name")}
            />
          </Field>
        ) : null}
        {c === "link_presence" ? (
          <Field
            id="policy-link_slug"
            label="Link definition"
            hint="Slug, e.g. runbook"
            error={err("link_slug")}
          >
            <Input
              id="policy-link_slug"
              value={form.link_slug}
              onChange={(e) => set("link_slug", e.target.value)}
              {...inv("link_slug")}
            />
          </Field>
        ) : null}
        {c === "deployment_status" ? (
          <Field
            id="policy-environment_slug"
            label="Environment"
            hint="Slug, e.g. production"
            error={err("environment_slug")}
          >
            <Input
              id="policy-environment_slug"
              value={form.environment_slug}
              onChange={(e) => set("environment_slug", e.target.value)}
              {...inv("environment_slug")}
            />
          </Field>
        ) : null}
        {c === "attribute" ? (
          <Field id="policy-map_kind" label="Map">
            <Select
              id="policy-map_kind"
              value={form.map_kind}
              onChange={(e) => set("map_kind", e.target.value as "value" | "range")}
            >
              <option value="value">Exact values</option>
              <option value="range">Numeric ranges</option>
            </Select>
          </Field>
        ) : null}
        {c === "attribute" || c === "age" || c === "deployment_status" ? (
          <Field id="policy-map" label={mapLabel} error={err("map")}>
            <Textarea
              id="policy-map"
              className="font-mono"
              rows={5}
              value={form.map}
              onChange={(e) => set("map", e.target.value)}
              {...inv("map")}
            />
          </Field>
        ) : null}
        {c === "presence" || c === "link_presence" ? (
          <div className="grid grid-cols-2 gap-3">
            <Field id="policy-present_score" label="Score when present" error={err("present_score")}>
              <Input
                id="policy-present_score"
                type="number"
                value={form.present_score}
                onChange={(e) => set("present_score", e.target.value)}
                {...inv("present_score")}
              />
            </Field>
            <Field id="policy-missing_score" label="Score when missing" error={err("missing_score")}>
              <Input
                id="policy-missing_score"
                type="number"
                value={form.missing_score}
                onChange={(e) => set("missing_score", e.target.value)}
                {...inv("missing_score")}
              />
            </Field>
          </div>
        ) : null}
        {c === "condition" ? (
          <>
            <Field
              id="policy-condition"
              label="Condition (JSON)"
              hint="See the scoring guide for the condition tree"
              error={err("condition")}
            >
              <Textarea
                id="policy-condition"
                className="font-mono"
                rows={8}
                value={form.condition}
                onChange={(e) => set("condition", e.target.value)}
                {...inv("condition")}
              />
            </Field>
            <div className="grid grid-cols-2 gap-3">
              <Field id="policy-true_score" label="Score when it holds" error={err("true_score")}>
                <Input
                  id="policy-true_score"
                  type="number"
                  value={form.true_score}
                  onChange={(e) => set("true_score", e.target.value)}
                  {...inv("true_score")}
                />
              </Field>
              <Field id="policy-false_score" label="Score when it does not" error={err("false_score")}>
                <Input
                  id="policy-false_score"
                  type="number"
                  value={form.false_score}
                  onChange={(e) => set("false_score", e.target.value)}
                  {...inv("false_score")}
                />
              </Field>
            </div>
          </>
        ) : null}
      </fieldset>
      {save.error && (!(save.error instanceof ApiError) || !Object.keys(server).length || unplaced) ? (
        <ProblemAlert error={save.error} />
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="outline" onClick={() => onDone()}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : policy ? "Save policy" : "Create policy"}
        </Button>
      </div>
    </form>
  );
}
