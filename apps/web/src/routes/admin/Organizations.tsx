// Organizations: list, create, edit, delete (by permission), and each one's members.
import { useQuery } from "@tanstack/react-query";
import { Users } from "lucide-react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ifMatch, withEtag } from "@/components/reference/fetchers";
import { type FieldSpec, ResourceTable } from "@/components/reference/ResourceTable";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { meQueryKey, useCanAnywhere } from "@/lib/session";

type Organization = components["schemas"]["Organization"];

const fields: FieldSpec[] = [
  { name: "name", label: "Name", required: true },
  {
    name: "slug",
    label: "Slug",
    required: true,
    hint: "Lower case letters, digits and dashes; it is in every URL.",
  },
  { name: "description", label: "Description", kind: "textarea" },
];

export function Organizations() {
  const canCreate = useCanAnywhere("organization:create");
  const canUpdate = useCanAnywhere("organization:update");
  const canDelete = useCanAnywhere("organization:delete");
  const [params, setParams] = useSearchParams();
  const membersOf = params.get("members");
  return (
    <>
      <PageHeader
        title="Organizations"
        description="Each organization has its own catalog, teams and members."
      />
      <ResourceTable<Organization>
        noun="organization"
        caption="Organizations"
        queryKey={["organizations"]}
        alsoInvalidate={[[...meQueryKey]]}
        listPage={(cursor) =>
          unwrap(api.GET("/api/organizations", { params: { query: { limit: 100, cursor } } }))
        }
        rowKey={(o) => o.slug}
        rowLabel={(o) => o.name}
        columns={[
          { header: "Name", cell: (o) => <span className="font-medium">{o.name}</span> },
          { header: "Slug", cell: (o) => <code className="text-xs">{o.slug}</code> },
          {
            header: "Description",
            cell: (o) => <span className="text-muted-foreground">{o.description}</span>,
          },
        ]}
        fields={fields}
        create={
          canCreate
            ? (body) =>
                unwrap(
                  api.POST("/api/organizations", {
                    body: body as components["schemas"]["CreateOrganization"],
                  }),
                )
            : undefined
        }
        load={(org) => withEtag(api.GET("/api/organizations/{org}", { params: { path: { org } } }))}
        update={
          canUpdate
            ? (org, patch, etag) =>
                unwrap(
                  api.PATCH("/api/organizations/{org}", {
                    params: { path: { org }, header: ifMatch(etag) },
                    body: patch as components["schemas"]["JsonPatch"],
                  }),
                )
            : undefined
        }
        remove={
          canDelete
            ? (org) =>
                unwrap(api.DELETE("/api/organizations/{org}", { params: { path: { org }, query: {} } }))
            : undefined
        }
        deleteWarning={(o) =>
          `This deletes ${o.name} and its memberships. While it still owns teams, projects or other entities the server refuses and lists them.`
        }
        empty={{ title: "No organizations", body: "Create an organization, then add members to it." }}
        rowActions={(o) => (
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Members of ${o.name}`}
            onClick={() =>
              setParams((p) => {
                p.set("members", o.slug);
                return p;
              })
            }
          >
            <Users aria-hidden /> Members
          </Button>
        )}
      />
      {membersOf ? (
        <MembersDialog
          org={membersOf}
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

function MembersDialog({ org, onClose }: { org: string; onClose: () => void }) {
  const members = useQuery({
    queryKey: ["organizations", org, "members"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/members", { params: { path: { org }, query: { limit: 200 } } }),
      ),
  });
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={`Members of ${org}`}>
      {members.isPending ? <Loading /> : null}
      <ProblemAlert error={members.error} onRetry={() => members.refetch()} />
      {members.data && members.data.data.length === 0 ? (
        <EmptyState title="No members">Add people from the Users screen (Memberships).</EmptyState>
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
              <Badge tone="muted">{m.role}</Badge>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="text-xs text-muted-foreground">Change roles and memberships on the Users screen.</p>
    </Dialog>
  );
}
