// Users: the list (filter by active / admin in the URL), create (with a password, or without one
// for SSO-only accounts), and a user's page in a dialog (?user=<email>): display name, active and
// administrator flags, memberships (add, change role, remove), reset password, delete.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, LogOut, Plus, Trash2, UserCog } from "lucide-react";
import { useId, useState } from "react";
import { useSearchParams } from "react-router";
import { ApiError, api, keysetPaging, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { MembershipEditor } from "@/components/admin/MembershipEditor";
import { ifMatch, withEtag } from "@/components/reference/fetchers";
import {
  blankForm,
  createBody,
  diffPatch,
  type FieldSpec,
  ResourceFormDialog,
} from "@/components/reference/ResourceTable";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge, Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useCanAnywhere, useMe } from "@/lib/session";

const createFields: FieldSpec[] = [
  { name: "email", label: "Email", required: true },
  { name: "display_name", label: "Display name", required: true },
  {
    name: "password",
    label: "Password",
    hint: "Leave empty for an account that signs in through SSO only (you can set one later).",
  },
  { name: "is_admin", label: "Administrator (every permission everywhere)", kind: "checkbox" },
];

const editFields: FieldSpec[] = [
  { name: "display_name", label: "Display name", required: true },
  { name: "is_active", label: "Active (inactive users cannot sign in)", kind: "checkbox" },
  { name: "is_admin", label: "Administrator", kind: "checkbox" },
];

export function Users() {
  const canCreate = useCanAnywhere("user:create");
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState("");
  const id = useId();
  const qc = useQueryClient();
  const active = params.get("active") ?? "";
  const admin = params.get("admin") ?? "";
  const open = params.get("user");
  const query = {
    ...(active ? { is_active: active === "yes" ? ("true" as const) : ("false" as const) } : {}),
    ...(admin ? { is_admin: admin === "yes" ? ("true" as const) : ("false" as const) } : {}),
  };
  const list = useInfiniteQuery({
    queryKey: ["users", query],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/users", { params: { query: { ...query, limit: 100, cursor: pageParam } } })),
    ...keysetPaging,
  });
  const set = (k: string, v: string | null) =>
    setParams((p) => {
      if (v) p.set(k, v);
      else p.delete(k);
      return p;
    });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in, their roles in each organization, and administrators."
        actions={
          canCreate ? (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New user
            </Button>
          ) : null
        }
      />
      <form aria-label="Filters" className="mb-3 flex flex-wrap gap-3" onSubmit={(e) => e.preventDefault()}>
        <Field id={`${id}-active`} label="Status">
          <Select
            id={`${id}-active`}
            className="w-40"
            value={active}
            onChange={(e) => set("active", e.target.value)}
          >
            <option value="">Everyone</option>
            <option value="yes">Active</option>
            <option value="no">Inactive</option>
          </Select>
        </Field>
        <Field id={`${id}-admin`} label="Administrators">
          <Select
            id={`${id}-admin`}
            className="w-40"
            value={admin}
            onChange={(e) => set("admin", e.target.value)}
          >
            <option value="">Everyone</option>
            <option value="yes">Administrators</option>
            <option value="no">Not administrators</option>
          </Select>
        </Field>
      </form>
      <p role="status" aria-live="polite" className="mb-2 text-sm text-muted-foreground">
        {status}
      </p>
      {list.isPending ? <Loading /> : null}
      <ProblemAlert error={list.error} onRetry={() => list.refetch()} />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState title="No users match">Clear the filters, or create a user.</EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm">
            <caption className="sr-only">Users</caption>
            <thead className="bg-muted/50 text-left text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Email
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.email} className="border-t">
                  <td className="px-3 py-2 font-medium">{u.display_name}</td>
                  <td className="px-3 py-2">{u.email}</td>
                  <td className="px-3 py-2">
                    <span className="flex gap-1">
                      {u.is_active ? <Badge tone="good">active</Badge> : <Badge tone="muted">inactive</Badge>}
                      {u.is_admin ? <Badge>administrator</Badge> : null}
                    </span>
                  </td>
                  <td className="px-3 py-2 text-right">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Manage ${u.email}`}
                      onClick={() => set("user", u.email)}
                    >
                      <UserCog aria-hidden /> Manage
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.hasNextPage ? (
        <Button variant="outline" className="mt-3" onClick={() => list.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
      {creating ? (
        <ResourceFormDialog
          open
          onOpenChange={setCreating}
          title="New user"
          fields={createFields}
          initial={blankForm(createFields)}
          mode="create"
          submitLabel="Create user"
          onSubmit={(values) =>
            unwrap(
              api.POST("/api/users", {
                body: createBody(createFields, values) as components["schemas"]["CreateUser"],
              }),
            )
          }
          onDone={async () => {
            setCreating(false);
            setStatus("Created the user.");
            await qc.invalidateQueries({ queryKey: ["users"] });
          }}
        />
      ) : null}
      {open ? <UserDialog email={open} onClose={() => set("user", null)} onStatus={setStatus} /> : null}
    </>
  );
}

function UserDialog({
  email,
  onClose,
  onStatus,
}: {
  email: string;
  onClose: () => void;
  onStatus: (s: string) => void;
}) {
  const me = useMe();
  const qc = useQueryClient();
  const canUpdate = useCanAnywhere("user:update");
  const canDelete = useCanAnywhere("user:delete");
  const [editing, setEditing] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const key = ["users", "detail", email];
  const user = useQuery({
    queryKey: key,
    queryFn: () => withEtag(api.GET("/api/users/{email}", { params: { path: { email } } })),
  });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ["users"] });
  };
  const del = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/users/{email}", { params: { path: { email } } })),
    onSuccess: async () => {
      onStatus(`Deleted ${email}.`);
      await refresh();
      onClose();
    },
  });
  const logoutEverywhere = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/users/{email}/sessions", { params: { path: { email } } })),
    onSuccess: (r) => {
      setLoggingOut(false);
      onStatus(`Logged ${email} out of ${r.revoked} session${r.revoked === 1 ? "" : "s"}.`);
    },
  });
  const u = user.data?.data;
  const self = u?.email === me.email;
  const fields = me.is_admin && !self ? editFields : editFields.filter((f) => f.name === "display_name");
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={u ? u.display_name : email}
      className="max-w-3xl"
    >
      {user.isPending ? <Loading /> : null}
      <ProblemAlert error={user.error} onRetry={() => user.refetch()} />
      {u ? (
        <div className="grid gap-4">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span>{u.email}</span>
            {u.is_active ? <Badge tone="good">active</Badge> : <Badge tone="muted">inactive</Badge>}
            {u.is_admin ? <Badge>administrator</Badge> : null}
          </div>
          <div className="flex flex-wrap gap-2">
            {canUpdate || self ? (
              <Button variant="outline" onClick={() => setEditing(true)}>
                <UserCog aria-hidden /> Edit user
              </Button>
            ) : null}
            {canUpdate ? (
              <Button variant="outline" onClick={() => setResetting(true)}>
                <KeyRound aria-hidden /> Reset password
              </Button>
            ) : null}
            {canUpdate && !self ? (
              <Button variant="outline" onClick={() => setLoggingOut(true)}>
                <LogOut aria-hidden /> Log out everywhere
              </Button>
            ) : null}
            {canDelete && !self ? (
              <Button variant="outline" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden /> Delete user
              </Button>
            ) : null}
          </div>
          <Card>
            <CardHeader>
              <CardTitle>Memberships</CardTitle>
            </CardHeader>
            <CardContent>
              <MembershipEditor
                memberships={u.organizations}
                canEdit={canUpdate}
                add={(organization, role) =>
                  unwrap(
                    api.POST("/api/users/{email}/organizations", {
                      params: { path: { email } },
                      body: { organization, role },
                    }),
                  ).then(refresh)
                }
                changeRole={(org, role) =>
                  unwrap(
                    api.PATCH("/api/users/{email}/organizations/{org}", {
                      params: { path: { email, org }, header: {} },
                      body: [{ op: "replace", path: "/role", value: role }],
                    }),
                  ).then(refresh)
                }
                remove={(org) =>
                  unwrap(
                    api.DELETE("/api/users/{email}/organizations/{org}", {
                      params: { path: { email, org } },
                    }),
                  ).then(refresh)
                }
              />
            </CardContent>
          </Card>
        </div>
      ) : null}
      {editing && u ? (
        <ResourceFormDialog
          open
          onOpenChange={setEditing}
          title={`Edit ${u.email}`}
          fields={fields}
          initial={{ display_name: u.display_name, is_active: u.is_active, is_admin: u.is_admin }}
          mode="edit"
          submitLabel="Save changes"
          onSubmit={async (values) => {
            const patch = diffPatch(
              fields,
              { display_name: u.display_name, is_active: u.is_active, is_admin: u.is_admin },
              values,
            );
            if (patch.length === 0) return undefined;
            return unwrap(
              api.PATCH("/api/users/{email}", {
                params: { path: { email }, header: ifMatch(user.data?.etag) },
                body: patch as components["schemas"]["JsonPatch"],
              }),
            );
          }}
          onDone={async () => {
            setEditing(false);
            onStatus(`Saved ${email}.`);
            await refresh();
          }}
        />
      ) : null}
      {resetting ? (
        <ResetPasswordDialog email={email} onClose={() => setResetting(false)} onDone={onStatus} />
      ) : null}
      {loggingOut ? (
        <ConfirmDialog
          open
          onOpenChange={setLoggingOut}
          title={`Log ${email} out everywhere?`}
          description="Every session of the user ends now (a lost laptop, someone leaving); they can sign in again unless you deactivate them. Their API keys are not touched."
          confirmLabel="Log out everywhere"
          pending={logoutEverywhere.isPending}
          onConfirm={() => logoutEverywhere.mutate()}
        >
          <ProblemAlert error={logoutEverywhere.error} />
        </ConfirmDialog>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          open
          onOpenChange={setDeleting}
          title={`Delete ${email}?`}
          description="The user, their memberships and sessions are deleted. To keep the history, deactivate instead."
          confirmLabel="Delete user"
          pending={del.isPending}
          onConfirm={() => del.mutate()}
        >
          <ProblemAlert error={del.error} />
        </ConfirmDialog>
      ) : null}
    </Dialog>
  );
}

function ResetPasswordDialog({
  email,
  onClose,
  onDone,
}: {
  email: string;
  onClose: () => void;
  onDone: (s: string) => void;
}) {
  const id = useId();
  const [password, setPassword] = useState("");
  const reset = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/users/{email}/password", {
          params: { path: { email } },
          body: { new_password: password },
        }),
      ),
    onSuccess: () => {
      onDone(`Set a new password for ${email}; their other sessions were signed out.`);
      onClose();
    },
  });
  const fieldError =
    reset.error instanceof ApiError ? Object.values(reset.error.fieldErrors())[0] : undefined;
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={`Reset the password of ${email}`}>
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate();
        }}
      >
        <Field
          id={`${id}-pw`}
          label="New password"
          error={fieldError}
          hint="Every other session of the user is signed out."
        >
          <Input
            id={`${id}-pw`}
            type="password"
            autoComplete="new-password"
            value={password}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-pw-error` : `${id}-pw-hint`}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        {reset.error && !fieldError ? <ProblemAlert error={reset.error} /> : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={reset.isPending || !password}>
            Set password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
