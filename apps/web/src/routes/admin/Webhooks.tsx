// Inbound webhooks of the organization: the list (name, slug, provider, service account, active,
// rule count) and the create dialog. After creating, the secret is shown once with the absolute
// receiver URL, then the webhook's page opens on its rules.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, api, unwrap } from "@/api/client";
import { SecretOnceDialog } from "@/components/admin/SecretOnceDialog";
import { ReceiverUrl, StatusBadge } from "@/components/automations/common";
import {
  type CreateForm,
  createBody,
  PROVIDER_DEFAULTS,
  PROVIDERS,
  type Provider,
  SELECTOR_LABELS,
  SELECTORS,
} from "@/components/automations/webhook_form";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

export function Webhooks() {
  const { slug: org, can } = useOrg();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ slug: string; secret: string; path: string } | null>(null);
  const list = useQuery({
    queryKey: ["webhooks", org],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/webhooks", { params: { path: { org }, query: { limit: 100 } } }),
      ),
  });
  const items = list.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Inbound webhooks: URLs a sender such as GitHub posts signed events to, and the rules that turn them into releases, deployments, project updates and operations-log entries."
        actions={
          can("webhook:create") ? (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New webhook
            </Button>
          ) : null
        }
      />
      {list.isPending ? <Loading /> : null}
      <ProblemAlert error={list.error} onRetry={() => list.refetch()} />
      {list.data && items.length === 0 ? (
        <EmptyState title="No webhooks yet">
          {can("webhook:create")
            ? "Create one for each sender (e.g. GitHub), give its URL and secret to the sender, then add rules."
            : "Someone with webhook:create in this organization can add one."}
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <div className="overflow-x-auto rounded-md border">
          <table className="w-full text-sm">
            <caption className="sr-only">Webhooks</caption>
            <thead className="bg-muted/50 text-left">
              <tr>
                <th className="p-2 font-medium">Name</th>
                <th className="p-2 font-medium">Provider</th>
                <th className="p-2 font-medium">Service account</th>
                <th className="p-2 font-medium">Status</th>
                <th className="p-2 text-right font-medium">Rules</th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id} className="border-t">
                  <td className="p-2">
                    <Link
                      to={`/o/${org}/admin/webhooks/${w.slug}`}
                      className="font-medium underline-offset-4 hover:underline"
                    >
                      {w.name}
                    </Link>{" "}
                    <code className="text-xs text-muted-foreground">{w.slug}</code>
                  </td>
                  <td className="p-2">{w.provider}</td>
                  <td className="p-2">
                    <code className="text-xs">{w.service_account}</code>
                  </td>
                  <td className="p-2">
                    <StatusBadge status={w.active ? "active" : "inactive"} />
                  </td>
                  <td className="p-2 text-right tabular-nums">{w.rules.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {creating ? (
        <CreateWebhookDialog
          org={org}
          onClose={() => setCreating(false)}
          onCreated={(w) => {
            setCreating(false);
            setCreated(w);
          }}
        />
      ) : null}
      {created ? (
        <SecretOnceDialog
          stored="sealed"
          title="Webhook created"
          label="Secret"
          secret={created.secret}
          extra={
            <>
              <p className="text-sm font-medium">You won't see this secret again.</p>
              <ReceiverUrl path={created.path} />
            </>
          }
          onClose={() => {
            const slug = created.slug;
            setCreated(null);
            navigate(`/o/${org}/admin/webhooks/${slug}?tab=rules`);
          }}
        />
      ) : null}
    </>
  );
}

const EMPTY: CreateForm = {
  provider: "github",
  slug: "",
  name: "",
  description: "",
  service_account: "",
  ...PROVIDER_DEFAULTS.github,
};

function CreateWebhookDialog({
  org,
  onClose,
  onCreated,
}: {
  org: string;
  onClose: () => void;
  onCreated: (w: { slug: string; secret: string; path: string }) => void;
}) {
  const qc = useQueryClient();
  const [form, setForm] = useState<CreateForm>(EMPTY);
  const set = (patch: Partial<CreateForm>) => setForm((f) => ({ ...f, ...patch }));
  // Listing service accounts needs service_account:read globally; without it, type the slug.
  const accounts = useQuery({
    queryKey: ["service-accounts"],
    queryFn: () => unwrap(api.GET("/api/service-accounts", { params: { query: { limit: 100 } } })),
    retry: false,
  });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/webhooks", { params: { path: { org } }, body: createBody(form) }),
      ),
    onSuccess: (w) => {
      qc.invalidateQueries({ queryKey: ["webhooks", org] });
      onCreated({ slug: w.slug, secret: w.secret, path: w.path });
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const describe = (id: string, error?: string, hint = true) => ({
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  });
  const saHint =
    "Must be a member of this organization with a role such as imbi-gateway; the rules run as it.";
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title="New webhook" className="max-w-2xl">
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field
          id="wh-provider"
          label="Provider"
          hint="Who signs the deliveries; fills in its default selectors."
        >
          <Select
            id="wh-provider"
            value={form.provider}
            {...describe("wh-provider", errors.provider)}
            onChange={(e) => {
              const provider = e.target.value as Provider;
              set({ provider, ...PROVIDER_DEFAULTS[provider] });
            }}
          >
            {PROVIDERS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field id="wh-name" label="Name" error={errors.name}>
            <Input
              id="wh-name"
              required
              value={form.name}
              {...describe("wh-name", errors.name, false)}
              onChange={(e) => set({ name: e.target.value })}
            />
          </Field>
          <Field id="wh-slug" label="Slug" hint="Lower case letters, digits and dashes." error={errors.slug}>
            <Input
              id="wh-slug"
              required
              value={form.slug}
              {...describe("wh-slug", errors.slug)}
              onChange={(e) => set({ slug: e.target.value })}
            />
          </Field>
        </div>
        <Field id="wh-description" label="Description" error={errors.description}>
          <Textarea
            id="wh-description"
            value={form.description}
            {...describe("wh-description", errors.description, false)}
            onChange={(e) => set({ description: e.target.value })}
          />
        </Field>
        <Field id="wh-sa" label="Service account" hint={saHint} error={errors.service_account}>
          {accounts.data ? (
            <Select
              id="wh-sa"
              required
              value={form.service_account}
              {...describe("wh-sa", errors.service_account)}
              onChange={(e) => set({ service_account: e.target.value })}
            >
              <option value="">Choose a service account…</option>
              {accounts.data.data.map((a) => (
                <option key={a.slug} value={a.slug}>
                  {a.display_name} ({a.slug})
                </option>
              ))}
            </Select>
          ) : (
            <Input
              id="wh-sa"
              required
              value={form.service_account}
              {...describe("wh-sa", errors.service_account)}
              onChange={(e) => set({ service_account: e.target.value })}
            />
          )}
        </Field>
        <fieldset className="grid grid-cols-2 gap-3 rounded-md border p-3">
          <legend className="px-1 text-sm font-medium">
            Selectors (the provider's defaults; an emptied one is left to the API's default)
          </legend>
          {SELECTORS.map((k) => (
            <Field
              key={k}
              id={`wh-${k}`}
              label={SELECTOR_LABELS[k].label}
              hint={SELECTOR_LABELS[k].hint}
              error={errors[k]}
            >
              <Input
                id={`wh-${k}`}
                value={form[k]}
                className="font-mono text-xs"
                {...describe(`wh-${k}`, errors[k])}
                onChange={(e) => set({ [k]: e.target.value })}
              />
            </Field>
          ))}
        </fieldset>
        {create.error && Object.keys(errors).length === 0 ? <ProblemAlert error={create.error} /> : null}
        {create.error && Object.keys(errors).length > 0 ? (
          <p role="alert" className="text-sm text-destructive">
            {create.error.message}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            Create webhook
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
