// Project types: list, create, edit, delete, each by permission.
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ifMatch, withEtag } from "@/components/reference/fetchers";
import { type FieldSpec, ResourceTable } from "@/components/reference/ResourceTable";
import { PageHeader } from "@/components/states";
import { Badge } from "@/components/ui/card";
import { useOrg } from "@/lib/session";

type ProjectType = components["schemas"]["ProjectType"];

const fields: FieldSpec[] = [
  { name: "name", label: "Name", required: true },
  {
    name: "slug",
    label: "Slug",
    required: true,
    hint: "Lower case letters, digits and dashes, e.g. http-api.",
  },
  { name: "description", label: "Description", kind: "textarea" },
  { name: "deployable", label: "Deployable", kind: "checkbox" },
  { name: "releasable", label: "Releasable", kind: "checkbox" },
];

export function ProjectTypes() {
  const { slug: org, can } = useOrg();
  return (
    <>
      <PageHeader
        title="Project types"
        description="Kinds of project (APIs, consumers, libraries…): blueprints and policies target them."
      />
      <ResourceTable<ProjectType>
        noun="project type"
        caption="Project types"
        queryKey={["project-types", org]}
        listPage={(cursor) =>
          unwrap(
            api.GET("/api/organizations/{org}/project-types", {
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
            header: "Lifecycle",
            cell: (t) => (
              <span className="flex gap-1">
                {t.deployable ? <Badge tone="muted">deployable</Badge> : null}
                {t.releasable ? <Badge tone="muted">releasable</Badge> : null}
              </span>
            ),
          },
          {
            header: "Description",
            cell: (t) => <span className="text-muted-foreground">{t.description}</span>,
          },
        ]}
        fields={fields}
        create={
          can("project_type:create")
            ? (body) =>
                unwrap(
                  api.POST("/api/organizations/{org}/project-types", {
                    params: { path: { org } },
                    body: body as components["schemas"]["CreateProjectType"],
                  }),
                )
            : undefined
        }
        load={(project_type) =>
          withEtag(
            api.GET("/api/organizations/{org}/project-types/{project_type}", {
              params: { path: { org, project_type } },
            }),
          )
        }
        update={
          can("project_type:update")
            ? (project_type, patch, etag) =>
                unwrap(
                  api.PATCH("/api/organizations/{org}/project-types/{project_type}", {
                    params: { path: { org, project_type }, header: ifMatch(etag) },
                    body: patch as components["schemas"]["JsonPatch"],
                  }),
                )
            : undefined
        }
        remove={
          can("project_type:delete")
            ? (project_type) =>
                unwrap(
                  api.DELETE("/api/organizations/{org}/project-types/{project_type}", {
                    params: { path: { org, project_type } },
                  }),
                )
            : undefined
        }
        deleteWarning={(t) =>
          `This deletes the project type ${t.name}. While any project has this type it cannot be deleted (a project keeps at least one type).`
        }
        empty={{
          title: "No project types yet",
          body: "Create the kinds of project you run (for example “HTTP API” or “Library”) before adding projects.",
        }}
      />
    </>
  );
}
