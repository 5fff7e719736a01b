// API keys of one owner (the signed-in user, or a service account): list, create (name, scopes,
// organizations, expiry) with the secret shown once, rotate (a new secret, shown once) and revoke.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus, RotateCw, Trash2 } from "lucide-react";
import { useId, useState } from "react";
import { api, keysetPaging, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { when } from "@/components/reference/fetchers";
import { errorsByField } from "@/components/reference/ResourceTable";
import { EmptyState, Loading, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { SecretOnceDialog } from "./SecretOnceDialog";

export type ApiKey = components["schemas"]["ApiKey"];
export type ApiKeyWithSecret = components["schemas"]["ApiKeyWithSecret"];
export type CreateApiKey = components["schemas"]["CreateApiKey"];

export interface ApiKeyOps {
  queryKey: readonly unknown[];
  list: (cursor: string | undefined) => Promise<{ data: ApiKey[]; next_cursor: string | null }>;
  create?: (body: CreateApiKey) => Promise<ApiKeyWithSecret>;
  rotate?: (keyId: string) => Promise<ApiKeyWithSecret>;
  revoke?: (keyId: string) => Promise<unknown>;
  /** The organizations a key may be limited to (the owner's). */
  organizations: { slug: string; name: string }[];
}

const tone = { active: "good", expired: "muted", revoked: "bad" } as const;

export function ApiKeysPanel({ ops, title = "API keys" }: { ops: ApiKeyOps; title?: string }) {
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<ApiKeyWithSecret | null>(null);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [status, setStatus] = useState("");
  const keys = useInfiniteQuery({
    queryKey: ops.queryKey,
    queryFn: ({ pageParam }) => ops.list(pageParam),
    ...keysetPaging,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ops.queryKey });
  const rotate = useMutation({
    mutationFn: (k: ApiKey) => (ops.rotate ? ops.rotate(k.key_id) : Promise.reject(new Error("not allowed"))),
    onSuccess: async (k) => {
      setRotating(null);
      setSecret(k);
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (k: ApiKey) => (ops.revoke ? ops.revoke(k.key_id) : Promise.resolve()),
    onSuccess: async (_d, k) => {
      setRevoking(null);
      setStatus(`Revoked ${k.name}.`);
      await refresh();
    },
  });
  const rows = keys.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section className="grid gap-3" aria-label={title}>
      <div className="flex items-center justify-between gap-2">
        <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
          {status}
        </p>
        {ops.create ? (
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden /> New API key
          </Button>
        ) : null}
      </div>
      {keys.isPending ? <Loading /> : null}
      <ProblemAlert error={keys.error} onRetry={() => keys.refetch()} />
      {keys.isSuccess && rows.length === 0 ? (
        <EmptyState title="No API keys yet">
          Create a key for a script or CI job; limit it to the scopes and organizations it needs.
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm">
            <caption className="sr-only">{title}</caption>
            <thead className="bg-muted/50 text-left text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Scopes
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Organizations
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Expires
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => (
                <tr key={k.key_id} className="border-t align-top">
                  <td className="px-3 py-2">
                    <div className="font-medium">{k.name}</div>
                    <code className="text-xs text-muted-foreground">{k.key_id}</code>
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={tone[k.status]}>{k.status}</Badge>
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {k.scopes.length ? k.scopes.join(", ") : "everything the owner holds"}
                  </td>
                  <td className="px-3 py-2 text-xs">{k.organizations?.join(", ") ?? "all"}</td>
                  <td className="whitespace-nowrap px-3 py-2">{when(k.expires_at)}</td>
                  <td className="whitespace-nowrap px-3 py-2">{when(k.last_used_at)}</td>
                  <td className="px-3 py-2">
                    {k.status === "active" ? (
                      <div className="flex justify-end gap-1">
                        {ops.rotate ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-label={`Rotate ${k.name}`}
                            onClick={() => {
                              rotate.reset();
                              setRotating(k);
                            }}
                          >
                            <RotateCw aria-hidden /> Rotate
                          </Button>
                        ) : null}
                        {ops.revoke ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-label={`Revoke ${k.name}`}
                            onClick={() => {
                              revoke.reset();
                              setRevoking(k);
                            }}
                          >
                            <Trash2 aria-hidden /> Revoke
                          </Button>
                        ) : null}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {keys.hasNextPage ? (
        <Button variant="outline" className="w-fit" onClick={() => keys.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
      {creating && ops.create ? (
        <CreateKeyDialog
          create={ops.create}
          organizations={ops.organizations}
          onClose={() => setCreating(false)}
          onCreated={async (k) => {
            setCreating(false);
            setSecret(k);
            await refresh();
          }}
        />
      ) : null}
      {secret ? (
        <SecretOnceDialog
          title={`API key “${secret.name}”`}
          label="The key"
          secret={secret.key}
          extra={
            <p className="text-sm text-muted-foreground">
              Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
            </p>
          }
          onClose={() => {
            setStatus(`Key ${secret.name} is ready.`);
            setSecret(null);
          }}
        />
      ) : null}
      {rotating ? (
        <ConfirmDialog
          open
          onOpenChange={(o) => !o && setRotating(null)}
          title={`Rotate ${rotating.name}?`}
          description="A new secret is issued and shown once; the old one keeps working for a short grace period, then stops."
          confirmLabel="Rotate key"
          destructive={false}
          pending={rotate.isPending}
          onConfirm={() => rotate.mutate(rotating)}
        >
          <ProblemAlert error={rotate.error} />
        </ConfirmDialog>
      ) : null}
      {revoking ? (
        <ConfirmDialog
          open
          onOpenChange={(o) => !o && setRevoking(null)}
          title={`Revoke ${revoking.name}?`}
          description="Anything using this key is refused from now on. This cannot be undone."
          confirmLabel="Revoke key"
          pending={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking)}
        >
          <ProblemAlert error={revoke.error} />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function CreateKeyDialog({
  create,
  organizations,
  onClose,
  onCreated,
}: {
  create: (body: CreateApiKey) => Promise<ApiKeyWithSecret>;
  organizations: { slug: string; name: string }[];
  onClose: () => void;
  onCreated: (k: ApiKeyWithSecret) => void;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [orgs, setOrgs] = useState<string[]>([]);
  const [days, setDays] = useState("90");
  const permissions = useQuery({
    queryKey: ["permissions"],
    queryFn: () =>
      unwrap(api.GET("/api/permissions", { params: { query: { limit: 500 } } })).then((p) => p.data),
    staleTime: 300_000,
  });
  const mutation = useMutation({
    mutationFn: () =>
      create({
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(scopes.length ? { scopes } : {}),
        ...(orgs.length ? { organizations: orgs } : {}),
        ...(days.trim() ? { expires_in_days: Number(days) } : {}),
      }),
    onSuccess: onCreated,
  });
  const errors = errorsByField(mutation.error, [
    { name: "name", label: "" },
    { name: "description", label: "" },
    { name: "scopes", label: "" },
    { name: "organizations", label: "" },
    { name: "expires_in_days", label: "" },
  ]);
  const shown = Object.keys(errors).length > 0;
  const inv = (k: string) =>
    errors[k] ? { "aria-invalid": true, "aria-describedby": `${id}-${k}-error` } : {};
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title="New API key">
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate();
        }}
      >
        <Field id={`${id}-name`} label="Name" error={errors.name}>
          <Input
            id={`${id}-name`}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            {...inv("name")}
          />
        </Field>
        <Field id={`${id}-description`} label="Description" error={errors.description}>
          <Textarea
            id={`${id}-description`}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            {...inv("description")}
          />
        </Field>
        <Field
          id={`${id}-scopes`}
          label="Scopes"
          hint="Select none for everything you hold; Ctrl/⌘-click selects several."
          error={errors.scopes}
        >
          <Select
            id={`${id}-scopes`}
            multiple
            className="h-40"
            value={scopes}
            onChange={(e) => setScopes(Array.from(e.target.selectedOptions, (o) => o.value))}
            {...inv("scopes")}
          >
            {(permissions.data ?? []).map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <ProblemAlert error={permissions.error} />
        <fieldset className="grid gap-1.5">
          <legend className="mb-1 text-sm font-medium">Organizations (none: all of yours)</legend>
          {organizations.map((o) => (
            <label key={o.slug} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={orgs.includes(o.slug)}
                onChange={(e) =>
                  setOrgs((old) => (e.target.checked ? [...old, o.slug] : old.filter((s) => s !== o.slug)))
                }
              />
              {o.name} <code className="text-xs text-muted-foreground">{o.slug}</code>
            </label>
          ))}
          {errors.organizations ? (
            <p role="alert" className="text-xs font-medium text-destructive">
              {errors.organizations}
            </p>
          ) : null}
        </fieldset>
        <Field
          id={`${id}-days`}
          label="Expires in (days)"
          hint="Keys never live forever."
          error={errors.expires_in_days}
        >
          <Input
            id={`${id}-days`}
            type="number"
            min={1}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            {...inv("expires_in_days")}
          />
        </Field>
        {mutation.error && !shown ? <ProblemAlert error={mutation.error} /> : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={mutation.isPending}>
            <KeyRound aria-hidden /> {mutation.isPending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
