// Service accounts: list, create, edit, delete (by permission), and per account its organization
// memberships, OAuth client credentials (secret shown once, rotate, revoke), public signing keys
// (JWK) and API keys.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bot, Plus, RotateCw, Trash2 } from "lucide-react";
import { useId, useState } from "react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { ApiKeysPanel } from "@/components/admin/ApiKeysPanel";
import { MembershipEditor } from "@/components/admin/MembershipEditor";
import { SecretOnceDialog } from "@/components/admin/SecretOnceDialog";
import { SigningKeys } from "@/components/admin/SigningKeys";
import { ifMatch, when, withEtag } from "@/components/reference/fetchers";
import { type FieldSpec, ResourceTable } from "@/components/reference/ResourceTable";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { useCanAnywhere } from "@/lib/session";

type ServiceAccount = components["schemas"]["ServiceAccount"];
type Credential = components["schemas"]["ClientCredential"];
type CredentialWithSecret = components["schemas"]["ClientCredentialWithSecret"];

const fields: FieldSpec[] = [
  { name: "display_name", label: "Display name", required: true },
  {
    name: "slug",
    label: "Slug",
    required: true,
    createOnly: true,
    hint: "Lower case letters, digits and dashes; the account's permanent id.",
  },
  { name: "description", label: "Description", kind: "textarea" },
  { name: "is_active", label: "Active (inactive accounts' tokens are refused)", kind: "checkbox" },
];

export function ServiceAccounts() {
  const canCreate = useCanAnywhere("service_account:create");
  const canUpdate = useCanAnywhere("service_account:update");
  const canDelete = useCanAnywhere("service_account:delete");
  const [params, setParams] = useSearchParams();
  const open = params.get("account");
  return (
    <>
      <PageHeader
        title="Service accounts"
        description="Non-human principals (CI, bots, integrations) with their own roles and credentials."
      />
      <ResourceTable<ServiceAccount>
        noun="service account"
        caption="Service accounts"
        queryKey={["service-accounts"]}
        listPage={(cursor) =>
          unwrap(api.GET("/api/service-accounts", { params: { query: { limit: 100, cursor } } }))
        }
        rowKey={(a) => a.slug}
        rowLabel={(a) => a.display_name}
        columns={[
          {
            header: "Name",
            cell: (a) => (
              <span>
                <span className="font-medium">{a.display_name}</span>{" "}
                <code className="text-xs text-muted-foreground">{a.slug}</code>
              </span>
            ),
          },
          { header: "Status", cell: (a) => (a.is_active ? "active" : "inactive") },
          {
            header: "Description",
            cell: (a) => <span className="text-muted-foreground">{a.description}</span>,
          },
        ]}
        fields={fields}
        toForm={(a) => ({
          display_name: a.display_name,
          slug: a.slug,
          description: a.description,
          is_active: a.is_active,
        })}
        create={
          canCreate
            ? (body) =>
                unwrap(
                  api.POST("/api/service-accounts", {
                    body: body as components["schemas"]["CreateServiceAccount"],
                  }),
                )
            : undefined
        }
        load={(slug) => withEtag(api.GET("/api/service-accounts/{slug}", { params: { path: { slug } } }))}
        update={
          canUpdate
            ? (slug, patch, etag) =>
                unwrap(
                  api.PATCH("/api/service-accounts/{slug}", {
                    params: { path: { slug }, header: ifMatch(etag) },
                    body: patch as components["schemas"]["JsonPatch"],
                  }),
                )
            : undefined
        }
        remove={
          canDelete
            ? (slug) => unwrap(api.DELETE("/api/service-accounts/{slug}", { params: { path: { slug } } }))
            : undefined
        }
        deleteWarning={(a) =>
          `This deletes ${a.display_name} with its memberships, credentials and keys; its tokens stop working.`
        }
        empty={{
          title: "No service accounts yet",
          body: "Create one for each automated caller (CI, a bot), give it a role in an organization, then a credential.",
        }}
        rowActions={(a) => (
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Manage ${a.display_name}`}
            onClick={() =>
              setParams((p) => {
                p.set("account", a.slug);
                return p;
              })
            }
          >
            <Bot aria-hidden /> Manage
          </Button>
        )}
      />
      {open ? (
        <AccountDialog
          slug={open}
          canUpdate={canUpdate}
          onClose={() =>
            setParams((p) => {
              p.delete("account");
              return p;
            })
          }
        />
      ) : null}
    </>
  );
}

function AccountDialog({
  slug,
  canUpdate,
  onClose,
}: {
  slug: string;
  canUpdate: boolean;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const account = useQuery({
    queryKey: ["service-accounts", slug],
    queryFn: () => unwrap(api.GET("/api/service-accounts/{slug}", { params: { path: { slug } } })),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ["service-accounts", slug] });
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Service account ${slug}`}
      className="max-w-4xl"
    >
      {account.isPending ? <Loading /> : null}
      <ProblemAlert error={account.error} onRetry={() => account.refetch()} />
      {account.data ? (
        <div className="grid gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Organizations and roles</CardTitle>
            </CardHeader>
            <CardContent>
              <MembershipEditor
                memberships={account.data.organizations}
                canEdit={canUpdate}
                add={(organization, role) =>
                  unwrap(
                    api.POST("/api/service-accounts/{slug}/organizations", {
                      params: { path: { slug } },
                      body: { organization, role },
                    }),
                  ).then(refresh)
                }
                changeRole={(org, role) =>
                  unwrap(
                    api.PATCH("/api/service-accounts/{slug}/organizations/{org}", {
                      params: { path: { slug, org }, header: {} },
                      body: [{ op: "replace", path: "/role", value: role }],
                    }),
                  ).then(refresh)
                }
                remove={(org) =>
                  unwrap(
                    api.DELETE("/api/service-accounts/{slug}/organizations/{org}", {
                      params: { path: { slug, org } },
                    }),
                  ).then(refresh)
                }
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Client credentials</CardTitle>
            </CardHeader>
            <CardContent>
              <ClientCredentials slug={slug} canEdit={canUpdate} organizations={account.data.organizations} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Signing keys</CardTitle>
            </CardHeader>
            <CardContent>
              <SigningKeys slug={slug} canEdit={canUpdate} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>API keys</CardTitle>
            </CardHeader>
            <CardContent>
              <ApiKeysPanel
                title={`API keys of ${slug}`}
                ops={{
                  queryKey: ["service-accounts", slug, "api-keys"],
                  list: (cursor) =>
                    unwrap(
                      api.GET("/api/service-accounts/{slug}/api-keys", {
                        params: { path: { slug }, query: { limit: 100, cursor } },
                      }),
                    ),
                  create: canUpdate
                    ? (body) =>
                        unwrap(
                          api.POST("/api/service-accounts/{slug}/api-keys", {
                            params: { path: { slug } },
                            body,
                          }),
                        )
                    : undefined,
                  rotate: canUpdate
                    ? (key_id) =>
                        unwrap(
                          api.POST("/api/service-accounts/{slug}/api-keys/{key_id}/rotate", {
                            params: { path: { slug, key_id } },
                            body: {},
                          }),
                        )
                    : undefined,
                  revoke: canUpdate
                    ? (key_id) =>
                        unwrap(
                          api.DELETE("/api/service-accounts/{slug}/api-keys/{key_id}", {
                            params: { path: { slug, key_id } },
                          }),
                        )
                    : undefined,
                  organizations: account.data.organizations.map((o) => ({ slug: o.slug, name: o.name })),
                }}
              />
            </CardContent>
          </Card>
        </div>
      ) : null}
    </Dialog>
  );
}

function ClientCredentials({
  slug,
  canEdit,
  organizations,
}: {
  slug: string;
  canEdit: boolean;
  organizations: { slug: string; name: string }[];
}) {
  const qc = useQueryClient();
  const id = useId();
  const key = ["service-accounts", slug, "client-credentials"];
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<CredentialWithSecret | null>(null);
  const [revoking, setRevoking] = useState<Credential | null>(null);
  const list = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(api.GET("/api/service-accounts/{slug}/client-credentials", { params: { path: { slug } } })),
  });
  const done = async (c?: CredentialWithSecret) => {
    if (c) setSecret(c);
    await qc.invalidateQueries({ queryKey: key });
  };
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/service-accounts/{slug}/client-credentials", {
          params: { path: { slug } },
          body: { name: name.trim(), organizations: organizations.map((o) => o.slug) },
        }),
      ),
    onSuccess: (c) => {
      setName("");
      return done(c);
    },
  });
  const rotate = useMutation({
    mutationFn: (client_id: string) =>
      unwrap(
        api.POST("/api/service-accounts/{slug}/client-credentials/{client_id}/rotate", {
          params: { path: { slug, client_id } },
        }),
      ),
    onSuccess: (c) => done(c),
  });
  const revoke = useMutation({
    mutationFn: (client_id: string) =>
      unwrap(
        api.DELETE("/api/service-accounts/{slug}/client-credentials/{client_id}", {
          params: { path: { slug, client_id } },
        }),
      ),
    onSuccess: () => {
      setRevoking(null);
      return done();
    },
  });
  const rows = list.data?.data ?? [];
  return (
    <div className="grid gap-3">
      {list.isPending ? <Loading /> : null}
      <ProblemAlert error={list.error} />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState title="No client credentials">
          Create one to let this account get tokens with the OAuth client-credentials grant.
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <ul className="grid gap-1" aria-label="Client credentials">
          {rows.map((c) => (
            <li
              key={c.client_id}
              className="flex flex-wrap items-center justify-between gap-2 rounded border px-3 py-1.5 text-sm"
            >
              <span>
                <span className="font-medium">{c.name}</span> <code className="text-xs">{c.client_id}</code>{" "}
                <span className="text-xs text-muted-foreground">
                  {c.revoked_at ? "revoked" : `last used ${when(c.last_used_at)}`}
                </span>
              </span>
              {canEdit && !c.revoked_at ? (
                <span className="flex gap-1">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Rotate ${c.name}`}
                    onClick={() => rotate.mutate(c.client_id)}
                  >
                    <RotateCw aria-hidden /> Rotate
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Revoke ${c.name}`}
                    onClick={() => setRevoking(c)}
                  >
                    <Trash2 aria-hidden /> Revoke
                  </Button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ProblemAlert error={rotate.error} />
      {canEdit ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate();
          }}
        >
          <Field id={`${id}-name`} label="New credential name">
            <Input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Button type="submit" disabled={create.isPending || !name.trim()}>
            <Plus aria-hidden /> Create credential
          </Button>
        </form>
      ) : null}
      <ProblemAlert error={create.error} />
      {secret ? (
        <SecretOnceDialog
          title={`Client secret for ${secret.name}`}
          label="Client secret"
          secret={secret.client_secret}
          extra={
            <p className="text-sm">
              Client id: <code>{secret.client_id}</code>
            </p>
          }
          onClose={() => setSecret(null)}
        />
      ) : null}
      {revoking ? (
        <ConfirmDialog
          open
          onOpenChange={(o) => !o && setRevoking(null)}
          title={`Revoke ${revoking.name}?`}
          description="Tokens can no longer be obtained with this credential."
          confirmLabel="Revoke credential"
          pending={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking.client_id)}
        >
          <ProblemAlert error={revoke.error} />
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
