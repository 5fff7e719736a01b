// Roles and permissions: list roles, create / edit / delete custom roles (system roles are fixed),
// and grant or revoke a role's permissions from the catalogue of GET /api/permissions.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ShieldCheck } from "lucide-react";
import { useId, useState } from "react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ifMatch, withEtag } from "@/components/reference/fetchers";
import { type FieldSpec, ResourceTable } from "@/components/reference/ResourceTable";
import { Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { meQueryKey, useCanAnywhere } from "@/lib/session";

type Role = components["schemas"]["Role"];
type Permission = components["schemas"]["Permission"];

export function Roles() {
  const canCreate = useCanAnywhere("role:create");
  const canUpdate = useCanAnywhere("role:update");
  const canDelete = useCanAnywhere("role:delete");
  const [params, setParams] = useSearchParams();
  const open = params.get("role");
  const roles = useQuery({
    queryKey: ["roles", "all"],
    queryFn: () => unwrap(api.GET("/api/roles", { params: { query: { limit: 200 } } })).then((p) => p.data),
  });
  const fields: FieldSpec[] = [
    { name: "name", label: "Name", required: true },
    {
      name: "slug",
      label: "Slug",
      required: true,
      createOnly: true,
      hint: "Lower case letters, digits and dashes.",
    },
    { name: "description", label: "Description", kind: "textarea" },
    { name: "priority", label: "Priority", kind: "number", hint: "Higher wins when roles are compared." },
    {
      name: "inherits_from",
      label: "Inherits from",
      kind: "select",
      nullable: true,
      options: (roles.data ?? []).map((r) => ({ value: r.slug, label: r.name })),
      hint: "The role's permissions include the parent's.",
    },
  ];
  return (
    <>
      <PageHeader
        title="Roles"
        description="What members may do in an organization: each role is a set of permissions."
      />
      <ResourceTable<Role>
        noun="role"
        caption="Roles"
        queryKey={["roles"]}
        alsoInvalidate={[[...meQueryKey]]}
        listPage={(cursor) => unwrap(api.GET("/api/roles", { params: { query: { limit: 100, cursor } } }))}
        rowKey={(r) => r.slug}
        rowLabel={(r) => r.name}
        rowWritable={(r) => !r.is_system}
        columns={[
          {
            header: "Name",
            cell: (r) => (
              <span className="flex flex-wrap items-center gap-1">
                <span className="font-medium">{r.name}</span>
                {r.is_system ? <Badge tone="muted">system</Badge> : null}
                {r.is_default ? <Badge tone="muted">default</Badge> : null}
              </span>
            ),
          },
          { header: "Slug", cell: (r) => <code className="text-xs">{r.slug}</code> },
          { header: "Priority", cell: (r) => r.priority },
          { header: "Inherits from", cell: (r) => r.inherits_from ?? "—" },
          { header: "Permissions", cell: (r) => r.permissions.length },
        ]}
        fields={fields}
        create={
          canCreate
            ? (body) => unwrap(api.POST("/api/roles", { body: body as components["schemas"]["CreateRole"] }))
            : undefined
        }
        load={(slug) => withEtag(api.GET("/api/roles/{slug}", { params: { path: { slug } } }))}
        update={
          canUpdate
            ? (slug, patch, etag) =>
                unwrap(
                  api.PATCH("/api/roles/{slug}", {
                    params: { path: { slug }, header: ifMatch(etag) },
                    body: patch as components["schemas"]["JsonPatch"],
                  }),
                )
            : undefined
        }
        remove={
          canDelete
            ? (slug) => unwrap(api.DELETE("/api/roles/{slug}", { params: { path: { slug } } }))
            : undefined
        }
        deleteWarning={(r) => `This deletes the role ${r.name}. While anyone holds it the server refuses.`}
        empty={{ title: "No roles", body: "Create a role, then grant it permissions." }}
        rowActions={(r) => (
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Permissions of ${r.name}`}
            onClick={() =>
              setParams((p) => {
                p.set("role", r.slug);
                return p;
              })
            }
          >
            <ShieldCheck aria-hidden /> Permissions
          </Button>
        )}
      />
      {open ? (
        <PermissionsDialog
          slug={open}
          canEdit={canUpdate}
          onClose={() =>
            setParams((p) => {
              p.delete("role");
              return p;
            })
          }
        />
      ) : null}
    </>
  );
}

/** Permissions grouped by resource, in the catalogue's order. */
function groupPermissions(perms: Permission[]): [string, Permission[]][] {
  const out = new Map<string, Permission[]>();
  for (const p of perms) out.set(p.resource, [...(out.get(p.resource) ?? []), p]);
  return [...out.entries()];
}

function PermissionsDialog({
  slug,
  canEdit,
  onClose,
}: {
  slug: string;
  canEdit: boolean;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const id = useId();
  const [filter, setFilter] = useState("");
  const [status, setStatus] = useState("");
  const role = useQuery({
    queryKey: ["roles", "detail", slug],
    queryFn: () => unwrap(api.GET("/api/roles/{slug}", { params: { path: { slug } } })),
  });
  const perms = useQuery({
    queryKey: ["permissions"],
    queryFn: () =>
      unwrap(api.GET("/api/permissions", { params: { query: { limit: 500 } } })).then((p) => p.data),
    staleTime: 300_000,
  });
  // The box follows the click at once; the role's refetch (or a refusal) settles it.
  const [optimistic, setOptimistic] = useState<Record<string, boolean>>({});
  const settle = (permission: string) => setOptimistic(({ [permission]: _gone, ...rest }) => rest);
  const toggle = useMutation({
    onMutate: ({ permission, grant }) => setOptimistic((o) => ({ ...o, [permission]: grant })),
    onError: (_e, v) => settle(v.permission),
    mutationFn: ({ permission, grant }: { permission: string; grant: boolean }) =>
      grant
        ? unwrap(
            api.POST("/api/roles/{slug}/permissions", { params: { path: { slug } }, body: { permission } }),
          )
        : unwrap(
            api.DELETE("/api/roles/{slug}/permissions/{permission}", {
              params: { path: { slug, permission } },
            }),
          ),
    onSuccess: async (_d, v) => {
      setStatus(`${v.grant ? "Granted" : "Revoked"} ${v.permission}.`);
      await qc.invalidateQueries({ queryKey: ["roles"] });
      await qc.invalidateQueries({ queryKey: meQueryKey });
      settle(v.permission);
    },
  });
  const editable = canEdit && role.data !== undefined && !role.data.is_system;
  const held = new Set(role.data?.permissions ?? []);
  const shown = (perms.data ?? []).filter((p) => !filter || p.name.includes(filter.toLowerCase()));
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Permissions of ${role.data?.name ?? slug}`}
      className="max-w-3xl"
    >
      {role.isPending || perms.isPending ? <Loading /> : null}
      <ProblemAlert error={role.error ?? perms.error} />
      {role.data?.is_system ? (
        <p className="text-sm text-muted-foreground">
          System roles are fixed: their permissions cannot change.
        </p>
      ) : null}
      <div className="grid gap-1.5">
        <label htmlFor={`${id}-filter`} className="text-sm font-medium">
          Filter permissions
        </label>
        <Input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {status}
      </p>
      <ProblemAlert error={toggle.error} />
      <div className="grid max-h-[50vh] gap-3 overflow-y-auto">
        {groupPermissions(shown).map(([resource, list]) => (
          <fieldset key={resource} className="rounded border p-2">
            <legend className="px-1 text-sm font-medium">{resource}</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {list.map((p) => (
                <label key={p.name} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={optimistic[p.name] ?? held.has(p.name)}
                    disabled={!editable || toggle.isPending}
                    onChange={(e) => toggle.mutate({ permission: p.name, grant: e.target.checked })}
                  />
                  {p.name}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
    </Dialog>
  );
}
