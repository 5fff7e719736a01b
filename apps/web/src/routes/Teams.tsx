// Teams: list, create, rename, delete (each by permission), each team's members (add / remove)
// and a link to the catalog filtered by the team.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LayoutList, UserPlus, Users, X } from "lucide-react";
import { useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ifMatch, withEtag } from "@/components/reference/fetchers";
import { errorsByField, type FieldSpec, ResourceTable } from "@/components/reference/ResourceTable";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

type Team = components["schemas"]["Team"];

const fields: FieldSpec[] = [
  { name: "name", label: "Name", required: true },
  {
    name: "slug",
    label: "Slug",
    required: true,
    hint: "Lower case letters, digits and dashes; used in URLs.",
  },
  { name: "description", label: "Description", kind: "textarea" },
];

export function Teams() {
  const { slug: org, can } = useOrg();
  const [params, setParams] = useSearchParams();
  const membersOf = params.get("members");
  return (
    <>
      <PageHeader title="Teams" description="Who owns what: every project belongs to a team." />
      <ResourceTable<Team>
        noun="team"
        caption="Teams"
        queryKey={["teams", org]}
        listPage={(cursor) =>
          unwrap(
            api.GET("/api/organizations/{org}/teams", {
              params: { path: { org }, query: { limit: 100, cursor } },
            }),
          )
        }
        rowKey={(t) => t.slug}
        rowLabel={(t) => t.name}
        columns={[
          { header: "Name", cell: (t) => <span className="font-medium">{t.name}</span> },
          { header: "Slug", cell: (t) => <code className="text-xs">{t.slug}</code> },
          {
            header: "Description",
            cell: (t) => <span className="text-muted-foreground">{t.description}</span>,
          },
        ]}
        fields={fields}
        create={
          can("team:create")
            ? (body) =>
                unwrap(
                  api.POST("/api/organizations/{org}/teams", {
                    params: { path: { org } },
                    body: body as components["schemas"]["CreateTeam"],
                  }),
                )
            : undefined
        }
        load={(team) =>
          withEtag(api.GET("/api/organizations/{org}/teams/{team}", { params: { path: { org, team } } }))
        }
        update={
          can("team:update")
            ? (team, patch, etag) =>
                unwrap(
                  api.PATCH("/api/organizations/{org}/teams/{team}", {
                    params: { path: { org, team }, header: ifMatch(etag) },
                    body: patch as components["schemas"]["JsonPatch"],
                  }),
                )
            : undefined
        }
        remove={
          can("team:delete")
            ? (team) =>
                unwrap(
                  api.DELETE("/api/organizations/{org}/teams/{team}", {
                    params: { path: { org, team }, query: {} },
                  }),
                )
            : undefined
        }
        deleteWarning={(t) =>
          `This deletes the team ${t.name} and its memberships. While it owns projects the server refuses: move them to another team first.`
        }
        empty={{
          title: "No teams yet",
          body: "Create a team first: projects are owned by teams, so the catalog needs at least one.",
        }}
        rowActions={(t) => (
          <>
            <Button variant="ghost" size="sm" asChild>
              <Link
                to={`/o/${org}/projects?team=${encodeURIComponent(t.slug)}`}
                aria-label={`Projects of ${t.name}`}
              >
                <LayoutList aria-hidden /> Projects
              </Link>
            </Button>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Members of ${t.name}`}
              onClick={() =>
                setParams((p) => {
                  p.set("members", t.slug);
                  return p;
                })
              }
            >
              <Users aria-hidden /> Members
            </Button>
          </>
        )}
      />
      {membersOf ? (
        <TeamMembersDialog
          org={org}
          team={membersOf}
          canEdit={can("team:update")}
          onClose={() =>
            setParams((p) => {
              p.delete("members");
              return p;
            })
          }
        />
      ) : null}
    </>
  );
}

function TeamMembersDialog({
  org,
  team,
  canEdit,
  onClose,
}: {
  org: string;
  team: string;
  canEdit: boolean;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const id = useId();
  const [email, setEmail] = useState("");
  const [status, setStatus] = useState("");
  const key = ["teams", org, team, "members"];
  const members = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/teams/{team}/members", {
          params: { path: { org, team }, query: { limit: 200 } },
        }),
      ),
  });
  const add = useMutation({
    mutationFn: (who: string) =>
      unwrap(
        api.POST("/api/organizations/{org}/teams/{team}/members", {
          params: { path: { org, team } },
          body: { email: who },
        }),
      ),
    onSuccess: async (_d, who) => {
      setEmail("");
      setStatus(`Added ${who}.`);
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (who: string) =>
      unwrap(
        api.DELETE("/api/organizations/{org}/teams/{team}/members/{email}", {
          params: { path: { org, team, email: who } },
        }),
      ),
    onSuccess: async (_d, who) => {
      setStatus(`Removed ${who}.`);
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const emailError = errorsByField(add.error, [{ name: "email", label: "Email" }]).email;
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={`Members of ${team}`}>
      <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {status}
      </p>
      {members.isPending ? <Loading /> : null}
      <ProblemAlert error={members.error} onRetry={() => members.refetch()} />
      {members.data && members.data.data.length === 0 ? (
        <EmptyState title="No members yet">
          {canEdit
            ? "Add someone by their email address below."
            : "Someone with team:update can add members."}
        </EmptyState>
      ) : null}
      {members.data && members.data.data.length > 0 ? (
        <ul className="grid gap-1" aria-label="Members">
          {members.data.data.map((m) => (
            <li
              key={m.email}
              className="flex items-center justify-between gap-2 rounded border px-3 py-1.5 text-sm"
            >
              <span>
                <span className="font-medium">{m.display_name}</span>{" "}
                <span className="text-muted-foreground">{m.email}</span>
              </span>
              {canEdit ? (
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove ${m.email}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(m.email)}
                >
                  <X aria-hidden />
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ProblemAlert error={remove.error} />
      {canEdit ? (
        <form
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (email.trim()) add.mutate(email.trim());
          }}
        >
          <Field id={`${id}-email`} label="Add a member by email" error={emailError}>
            <Input
              id={`${id}-email`}
              type="email"
              value={email}
              aria-invalid={emailError ? true : undefined}
              aria-describedby={emailError ? `${id}-email-error` : undefined}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          {emailError ? null : <ProblemAlert error={add.error} />}
          <Button type="submit" className="w-fit" disabled={add.isPending || !email.trim()}>
            <UserPlus aria-hidden /> Add member
          </Button>
        </form>
      ) : null}
    </Dialog>
  );
}
