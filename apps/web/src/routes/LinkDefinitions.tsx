// Link definitions: list, create, edit, delete, each by permission (link_definition:write edits).
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ifMatch, withEtag } from "@/components/reference/fetchers";
import { type FieldSpec, ResourceTable } from "@/components/reference/ResourceTable";
import { PageHeader } from "@/components/states";
import { useOrg } from "@/lib/session";

type LinkDefinition = components["schemas"]["LinkDefinition"];

const fields: FieldSpec[] = [
  { name: "name", label: "Name", required: true },
  {
    name: "slug",
    label: "Slug",
    required: true,
    hint: "Lower case letters, digits and dashes, e.g. repository.",
  },
  {
    name: "url_template",
    label: "URL template",
    required: true,
    placeholder: "https://github.com/acme/{slug}",
    hint: "An http(s) URL; {slug}, {name}, {id}, {org} and {identifiers.<name>} are filled in per project.",
  },
  { name: "description", label: "Description", kind: "textarea" },
];

export function LinkDefinitions() {
  const { slug: org, can } = useOrg();
  return (
    <>
      <PageHeader
        title="Link definitions"
        description="The links every project can carry: repository, dashboards, runbooks…"
      />
      <ResourceTable<LinkDefinition>
        noun="link definition"
        caption="Link definitions"
        queryKey={["link-definitions", org]}
        listPage={(cursor) =>
          unwrap(
            api.GET("/api/organizations/{org}/link-definitions", {
              params: { path: { org }, query: { limit: 100, cursor } },
            }),
          )
        }
        rowKey={(l) => l.slug}
        rowLabel={(l) => l.name}
        columns={[
          { header: "Name", cell: (l) => <span className="font-medium">{l.name}</span> },
          { header: "Slug", cell: (l) => <code className="text-xs">{l.slug}</code> },
          {
            header: "URL template",
            cell: (l) => <code className="break-all text-xs">{l.url_template}</code>,
          },
          {
            header: "Description",
            cell: (l) => <span className="text-muted-foreground">{l.description}</span>,
          },
        ]}
        fields={fields}
        create={
          can("link_definition:create")
            ? (body) =>
                unwrap(
                  api.POST("/api/organizations/{org}/link-definitions", {
                    params: { path: { org } },
                    body: body as components["schemas"]["CreateLinkDefinition"],
                  }),
                )
            : undefined
        }
        load={(link_definition) =>
          withEtag(
            api.GET("/api/organizations/{org}/link-definitions/{link_definition}", {
              params: { path: { org, link_definition } },
            }),
          )
        }
        update={
          can("link_definition:write")
            ? (link_definition, patch, etag) =>
                unwrap(
                  api.PATCH("/api/organizations/{org}/link-definitions/{link_definition}", {
                    params: { path: { org, link_definition }, header: ifMatch(etag) },
                    body: patch as components["schemas"]["JsonPatch"],
                  }),
                )
            : undefined
        }
        remove={
          can("link_definition:delete")
            ? (link_definition) =>
                unwrap(
                  api.DELETE("/api/organizations/{org}/link-definitions/{link_definition}", {
                    params: { path: { org, link_definition } },
                  }),
                )
            : undefined
        }
        deleteWarning={(l) =>
          `This deletes the link definition ${l.name}. While any project still has a ${l.name} link it cannot be deleted: remove those links first.`
        }
        empty={{
          title: "No link definitions yet",
          body: "Create one (for example “Repository” with https://github.com/acme/{slug}) so projects can carry that link.",
        }}
      />
    </>
  );
}
