// One blueprint's editor: its fields, the JSON Schema in CodeMirror with live validation, the
// impact report for the draft (POST …/impact: which projects would stop validating) and save —
// which, for a changed schema, is only offered once the draft's impact has been checked.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { SchemaEditor } from "./SchemaEditor";
import { validateSchemaText } from "./validate";

export type Blueprint = components["schemas"]["Blueprint"];
type Impact = components["schemas"]["BlueprintImpact"];
type BlueprintType = NonNullable<Blueprint["type"]>;
const TYPES: BlueprintType[] = ["Project", "Team", "Environment", "ProjectType", "Organization"];

export const NEW_SCHEMA =
  '{\n  "type": "object",\n  "properties": {\n    "tier": { "type": "integer", "minimum": 1, "maximum": 4, "default": 3 }\n  }\n}\n';

/** Every page of the impact report for a draft schema, summed. */
async function checkImpact(type: string, slug: string, schema: Record<string, unknown>) {
  let cursor: string | undefined;
  let checked = 0;
  const failing: Impact["failing"] = [];
  for (let page = 0; page < 50; page++) {
    const r = await unwrap(
      api.POST("/api/blueprints/{type}/{slug}/impact", {
        params: {
          path: { type: type as BlueprintType, slug },
          query: { limit: 500, ...(cursor ? { cursor } : {}) },
        },
        body: { schema: schema as never },
      }),
    );
    checked += r.total_checked;
    failing.push(...r.failing);
    if (!r.next_cursor) break;
    cursor = r.next_cursor;
  }
  return { checked, failing };
}

export function BlueprintEditor({
  blueprint,
  canWrite,
  onSaved,
  onCancel,
}: {
  blueprint?: Blueprint;
  canWrite: boolean;
  onSaved: (b: Blueprint) => void;
  onCancel: () => void;
}) {
  const qc = useQueryClient();
  const [name, setName] = useState(blueprint?.name ?? "");
  const [slug, setSlug] = useState(blueprint?.slug ?? "");
  const [type, setType] = useState<BlueprintType>((blueprint?.type as BlueprintType) ?? "Project");
  const [description, setDescription] = useState(blueprint?.description ?? "");
  const [priority, setPriority] = useState(String(blueprint?.priority ?? 0));
  const [enabled, setEnabled] = useState(blueprint?.enabled ?? true);
  const [targets, setTargets] = useState((blueprint?.filter.project_types ?? []).join(", "));
  const original = blueprint ? `${JSON.stringify(blueprint.schema, null, 2)}\n` : NEW_SCHEMA;
  const [text, setText] = useState(original);
  const { problems, schema } = validateSchemaText(text);
  const schemaChanged = text !== original;
  const lines = (at: number) => text.slice(0, at).split("\n").length;

  const impact = useMutation({
    mutationFn: (draft: string) => {
      if (!blueprint || !schema) throw new Error("Nothing to check");
      return checkImpact(blueprint.type ?? "relationship", blueprint.slug, schema).then((r) => ({
        ...r,
        draft,
      }));
    },
  });
  const impactCurrent = impact.data?.draft === text;

  const save = useMutation({
    mutationFn: async () => {
      const filter = {
        project_types: targets
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
        environments: blueprint?.filter.environments ?? [],
      };
      if (!blueprint)
        return unwrap(
          api.POST("/api/blueprints", {
            body: {
              name,
              ...(slug ? { slug } : {}),
              description,
              kind: "node",
              type,
              priority: Number(priority),
              enabled,
              filter,
              schema: schema as never,
            },
          }),
        );
      const ops: { op: "replace"; path: string; value: unknown }[] = [];
      if (name !== blueprint.name) ops.push({ op: "replace", path: "/name", value: name });
      if (description !== blueprint.description)
        ops.push({ op: "replace", path: "/description", value: description });
      if (Number(priority) !== blueprint.priority)
        ops.push({ op: "replace", path: "/priority", value: Number(priority) });
      if (enabled !== blueprint.enabled) ops.push({ op: "replace", path: "/enabled", value: enabled });
      if (JSON.stringify(filter.project_types) !== JSON.stringify(blueprint.filter.project_types ?? []))
        ops.push({ op: "replace", path: "/filter", value: filter });
      if (schemaChanged) ops.push({ op: "replace", path: "/schema", value: schema });
      return unwrap(
        api.PATCH("/api/blueprints/{type}/{slug}", {
          params: {
            path: { type: (blueprint.type ?? "relationship") as BlueprintType, slug: blueprint.slug },
          },
          body: ops as never,
        }),
      );
    },
    onSuccess: async (b) => {
      await qc.invalidateQueries({ queryKey: ["blueprints"] });
      onSaved(b);
    },
  });
  const fe: Record<string, string> = {};
  // A patched blueprint is checked as a document: its errors read `json.schema…`.
  if (save.error instanceof ApiError)
    for (const [k, v] of Object.entries(save.error.fieldErrors())) fe[k.replace(/^json\./, "")] ??= v;
  const schemaServerError = Object.entries(fe).find(([k]) => k.startsWith("schema"))?.[1];
  const needsImpact = Boolean(blueprint) && schemaChanged && !impactCurrent;
  const readOnly = !canWrite;

  return (
    <form
      className="grid gap-4"
      aria-label={blueprint ? `Edit blueprint ${blueprint.name}` : "New blueprint"}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!schema || needsImpact || readOnly) return;
        save.mutate();
      }}
    >
      <div className="grid grid-cols-2 gap-3">
        <Field id="bp-name" label="Name" error={fe.name}>
          <Input
            id="bp-name"
            value={name}
            readOnly={readOnly}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={fe.name ? true : undefined}
          />
        </Field>
        {blueprint ? (
          <div className="grid gap-1.5 text-sm">
            <span className="font-medium">Applies to</span>
            <span className="text-muted-foreground">
              {blueprint.kind === "node"
                ? `${blueprint.type} nodes`
                : `${blueprint.source} -[${blueprint.edge}]→ ${blueprint.target}`}{" "}
              · {blueprint.slug}
            </span>
          </div>
        ) : (
          <div className="grid grid-cols-2 gap-3">
            <Field id="bp-slug" label="Slug" hint="Derived from the name when empty" error={fe.slug}>
              <Input
                id="bp-slug"
                value={slug}
                onChange={(e) => setSlug(e.target.value)}
                aria-invalid={fe.slug ? true : undefined}
              />
            </Field>
            <Field id="bp-type" label="Extends" error={fe.type}>
              <Select id="bp-type" value={type} onChange={(e) => setType(e.target.value as BlueprintType)}>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        )}
      </div>
      <Field id="bp-description" label="Description" error={fe.description}>
        <Textarea
          id="bp-description"
          rows={2}
          value={description}
          readOnly={readOnly}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <div className="grid grid-cols-3 gap-3">
        <Field id="bp-priority" label="Priority" hint="Higher wins on a shared property" error={fe.priority}>
          <Input
            id="bp-priority"
            type="number"
            value={priority}
            readOnly={readOnly}
            onChange={(e) => setPriority(e.target.value)}
          />
        </Field>
        <Field
          id="bp-targets"
          label="Project types"
          hint="Comma-separated; empty = all"
          error={fe["filter.project_types"] ?? fe.filter}
        >
          <Input
            id="bp-targets"
            value={targets}
            readOnly={readOnly}
            onChange={(e) => setTargets(e.target.value)}
          />
        </Field>
        <div className="flex items-center gap-2 pt-6">
          <input
            id="bp-enabled"
            type="checkbox"
            className="size-4 accent-primary"
            checked={enabled}
            disabled={readOnly}
            onChange={(e) => setEnabled(e.target.checked)}
          />
          <label htmlFor="bp-enabled" className="text-sm font-medium">
            Enabled
          </label>
        </div>
      </div>
      <div className="grid gap-1.5">
        <span id="bp-schema-label" className="text-sm font-medium">
          Schema (JSON Schema, draft 2020-12)
        </span>
        <SchemaEditor
          value={text}
          onChange={setText}
          readOnly={readOnly}
          label="Schema (JSON)"
          describedBy="bp-schema-problems"
        />
        <div id="bp-schema-problems" role="status" aria-live="polite" className="text-sm">
          {problems.length ? (
            <ul className="grid gap-0.5 text-destructive" data-testid="schema-problems">
              {problems.slice(0, 8).map((p) => (
                <li key={`${p.from}-${p.message}`}>
                  Line {lines(p.from)}: {p.message}
                </li>
              ))}
              {problems.length > 8 ? <li>…and {problems.length - 8} more</li> : null}
            </ul>
          ) : (
            <span className="text-muted-foreground">The schema is valid.</span>
          )}
        </div>
        {schemaServerError ? (
          <p role="alert" className="text-xs font-medium text-destructive">
            {schemaServerError}
          </p>
        ) : null}
      </div>
      {blueprint && canWrite ? (
        <section aria-labelledby="impact-heading" className="grid gap-2 rounded-md border p-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 id="impact-heading" className="text-sm font-semibold">
              Impact on existing projects
            </h3>
            <Button
              variant="outline"
              size="sm"
              disabled={!schema || impact.isPending}
              onClick={() => impact.mutate(text)}
            >
              {impact.isPending ? "Checking…" : "Check impact"}
            </Button>
          </div>
          <ProblemAlert error={impact.error} />
          <div role="status" aria-live="polite" className="text-sm" data-testid="impact-report">
            {impact.data ? (
              <>
                <p
                  className={
                    impact.data.failing.length ? "font-medium text-destructive" : "text-muted-foreground"
                  }
                >
                  {impact.data.failing.length
                    ? `${impact.data.failing.length} of ${impact.data.checked} projects would become invalid.`
                    : `All ${impact.data.checked} projects it applies to stay valid.`}
                  {impactCurrent ? "" : " (The draft changed since; check again.)"}
                </p>
                {impact.data.failing.length ? (
                  <ul className="mt-1 grid max-h-48 gap-1 overflow-y-auto">
                    {impact.data.failing.slice(0, 100).map((f) => (
                      <li key={f.id} className="flex flex-wrap items-baseline gap-2">
                        <a className="font-medium hover:underline" href={`/o/${f.org}/projects/${f.slug}`}>
                          {f.slug}
                        </a>
                        <Badge tone="muted">{f.org}</Badge>
                        <span className="text-xs text-muted-foreground">
                          {f.errors
                            .map((e) => `${e.location.replace(/^json\./, "")}: ${e.message}`)
                            .join("; ")}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : needsImpact ? (
              <p className="text-muted-foreground">Check the impact of the changed schema before saving.</p>
            ) : null}
          </div>
        </section>
      ) : null}
      {save.error &&
      !schemaServerError &&
      !Object.keys(fe).some((k) => ["name", "slug", "priority", "description"].includes(k)) ? (
        <ProblemAlert error={save.error} />
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="outline" onClick={onCancel}>
          {readOnly ? "Close" : "Cancel"}
        </Button>
        {canWrite ? (
          <Button type="submit" disabled={!schema || needsImpact || save.isPending}>
            {save.isPending ? "Saving…" : blueprint ? "Save blueprint" : "Create blueprint"}
          </Button>
        ) : null}
      </div>
    </form>
  );
}
