// New project: name, slug (follows the name until edited), team, one or more types, description.
// The server decides what is valid; its field errors land on the fields, anything else above them.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api, unwrap } from "@/api/client";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { formErrors, useProjectTypes, useTeams } from "./lookups";

/** A slug from a display name: lower case, dashes, starting with a letter. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "")
    .slice(0, 63);
}

const FIELDS = ["name", "slug", "team", "project_types", "description"] as const;

export function CreateProjectDialog({
  org,
  open,
  onOpenChange,
}: {
  org: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const teams = useTeams(org);
  const types = useProjectTypes(org);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [team, setTeam] = useState("");
  const [projectTypes, setProjectTypes] = useState<string[]>([]);
  const [description, setDescription] = useState("");
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/projects", {
          params: { path: { org } },
          body: {
            name,
            slug: slugEdited ? slug : slugify(name),
            team,
            project_types: projectTypes,
            ...(description ? { description } : {}),
          },
        }),
      ),
    onSuccess: async (project) => {
      await qc.invalidateQueries({ queryKey: ["projects", org] });
      onOpenChange(false);
      navigate(`/o/${org}/projects/${project.slug}`);
    },
  });
  const errors = formErrors(create.error);
  const placed = formErrors(create.error, FIELDS);
  const unplaced = create.isError && Object.keys(placed).length === 0;
  const effectiveSlug = slugEdited ? slug : slugify(name);
  const describedBy = (f: string) => (errors[f] ? `new-${f}-error` : undefined);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="New project"
      description="Add a project to the catalog."
    >
      <form
        noValidate
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        {unplaced ? <ProblemAlert error={create.error} /> : null}
        <Field id="new-name" label="Name" error={errors.name}>
          <Input
            id="new-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!errors.name}
            aria-describedby={describedBy("name")}
            autoFocus
          />
        </Field>
        <Field id="new-slug" label="Slug" hint="Lower-case letters, digits and dashes." error={errors.slug}>
          <Input
            id="new-slug"
            value={effectiveSlug}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.target.value);
            }}
            aria-invalid={!!errors.slug}
            aria-describedby={errors.slug ? "new-slug-error" : "new-slug-hint"}
          />
        </Field>
        <Field id="new-team" label="Owning team" error={errors.team}>
          <Select
            id="new-team"
            value={team}
            onChange={(e) => setTeam(e.target.value)}
            aria-invalid={!!errors.team}
            aria-describedby={describedBy("team")}
          >
            <option value="">Choose a team…</option>
            {teams.data?.data.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset
          className="grid gap-1.5"
          aria-invalid={!!errors.project_types}
          aria-describedby={describedBy("project_types")}
        >
          <legend className="mb-1.5 text-sm font-medium">Project types</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {types.data?.data.map((t) => (
              <label key={t.slug} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={projectTypes.includes(t.slug)}
                  onChange={(e) =>
                    setProjectTypes((cur) =>
                      e.target.checked ? [...cur, t.slug] : cur.filter((x) => x !== t.slug),
                    )
                  }
                />
                {t.name}
              </label>
            ))}
          </div>
          {errors.project_types ? (
            <p id="new-project_types-error" role="alert" className="text-xs font-medium text-destructive">
              {errors.project_types}
            </p>
          ) : null}
        </fieldset>
        {teams.isError || types.isError ? <ProblemAlert error={teams.error ?? types.error} /> : null}
        <Field id="new-description" label="Description" error={errors.description}>
          <Textarea
            id="new-description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={!!errors.description}
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create project"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
