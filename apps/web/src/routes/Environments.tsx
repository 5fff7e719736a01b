// Environments: list (in their sort order), create, edit, delete, each by permission.
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ifMatch, withEtag } from "@/components/reference/fetchers";
import { type FieldSpec, ResourceTable } from "@/components/reference/ResourceTable";
import { PageHeader } from "@/components/states";
import { Badge } from "@/components/ui/card";
import { useOrg } from "@/lib/session";

type Environment = components["schemas"]["Environment"];

const fields: FieldSpec[] = [
  { name: "name", label: "Name", required: true },
  {
    name: "slug",
    label: "Slug",
    required: true,
    hint: "Lower case letters, digits and dashes, e.g. production.",
  },
  { name: "description", label: "Description", kind: "textarea" },
  { name: "sort_order", label: "Sort order", kind: "number", hint: "Lower comes first." },
  {
    name: "label_color",
    label: "Label colour",
    kind: "color",
    nullable: true,
    hint: "A hex colour such as #2f855a.",
  },
  { name: "can_deploy", label: "Projects can be deployed here", kind: "checkbox" },
  { name: "can_promote", label: "Releases can be promoted from here", kind: "checkbox" },
];

export function Environments() {
  const { slug: org, can } = useOrg();
  return (
    <>
      <PageHeader title="Environments" description="Where projects run: production, staging, and so on." />
      <ResourceTable<Environment>
        noun="environment"
        caption="Environments"
        queryKey={["environments", org]}
        listPage={(cursor) =>
          unwrap(
            api.GET("/api/organizations/{org}/environments", {
              params: { path: { org }, query: { limit: 100, cursor } },
            }),
          )
        }
        rowKey={(e) => e.slug}
        rowLabel={(e) => e.name}
        columns={[
          {
            header: "Name",
            cell: (e) => (
              <span className="flex items-center gap-2 font-medium">
                {e.label_color ? (
                  <span
                    aria-hidden
                    className="size-3 rounded-full border"
                    style={{ backgroundColor: e.label_color }}
                  />
                ) : null}
                {e.name}
              </span>
            ),
          },
          { header: "Slug", cell: (e) => <code className="text-xs">{e.slug}</code> },
          { header: "Order", cell: (e) => e.sort_order },
          {
            header: "Capabilities",
            cell: (e) => (
              <span className="flex gap-1">
                {e.can_deploy ? <Badge tone="muted">deploy</Badge> : null}
                {e.can_promote ? <Badge tone="muted">promote</Badge> : null}
              </span>
            ),
          },
          {
            header: "Description",
            cell: (e) => <span className="text-muted-foreground">{e.description}</span>,
          },
        ]}
        fields={fields}
        create={
          can("environment:create")
            ? (body) =>
                unwrap(
                  api.POST("/api/organizations/{org}/environments", {
                    params: { path: { org } },
                    body: body as components["schemas"]["CreateEnvironment"],
                  }),
                )
            : undefined
        }
        load={(environment) =>
          withEtag(
            api.GET("/api/organizations/{org}/environments/{environment}", {
              params: { path: { org, environment } },
            }),
          )
        }
        update={
          can("environment:update")
            ? (environment, patch, etag) =>
                unwrap(
                  api.PATCH("/api/organizations/{org}/environments/{environment}", {
                    params: { path: { org, environment }, header: ifMatch(etag) },
                    body: patch as components["schemas"]["JsonPatch"],
                  }),
                )
            : undefined
        }
        remove={
          can("environment:delete")
            ? (environment) =>
                unwrap(
                  api.DELETE("/api/organizations/{org}/environments/{environment}", {
                    params: { path: { org, environment }, query: {} },
                  }),
                )
            : undefined
        }
        deleteWarning={(e) =>
          `This deletes the environment ${e.name}. While projects are deployed in it the server refuses; remove them from it first.`
        }
        empty={{
          title: "No environments yet",
          body: "Create the environments your projects run in (production first), then attach projects to them.",
        }}
      />
    </>
  );
}
