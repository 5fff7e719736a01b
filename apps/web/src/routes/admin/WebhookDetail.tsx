// One inbound webhook: its settings (JSON Patch with If-Match; a 412 says someone else saved),
// the active toggle, secret rotation (shown once), delete (type the slug), the rules as JSON in
// CodeMirror with the server's per-rule errors beside it, and the delivery log.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Power, RotateCw, Trash2 } from "lucide-react";
import { Tabs } from "radix-ui";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, api, unwrap } from "@/api/client";
import { SecretOnceDialog } from "@/components/admin/SecretOnceDialog";
import { ReceiverUrl, StatusBadge, TypeToDeleteDialog, WriteError } from "@/components/automations/common";
import { RULE_EXAMPLE, RulesReference } from "@/components/automations/RulesReference";
import { WebhookDeliveries } from "@/components/automations/WebhookDeliveries";
import {
  type JsonPatch,
  PROVIDERS,
  type Provider,
  parseRules,
  ruleErrors,
  SELECTOR_LABELS,
  SELECTORS,
  settingsPatch,
  type Webhook,
} from "@/components/automations/webhook_form";
import { JsonEditor } from "@/components/JsonEditor";
import { ifMatch, when, withEtag } from "@/components/reference/fetchers";
import { Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

const trigger =
  "border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring data-[state=active]:border-primary data-[state=active]:text-foreground";

const TABS = [
  { value: "settings", label: "Settings" },
  { value: "rules", label: "Rules" },
  { value: "deliveries", label: "Deliveries" },
];

export function WebhookDetail() {
  const { slug: org, can } = useOrg();
  const { webhook: slug = "" } = useParams();
  const [sp, setSp] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const tab = TABS.some((t) => t.value === sp.get("tab")) ? (sp.get("tab") as string) : "settings";
  const key = ["webhooks", org, slug] as const;
  const q = useQuery({
    queryKey: key,
    queryFn: () =>
      withEtag(
        api.GET("/api/organizations/{org}/webhooks/{webhook}", { params: { path: { org, webhook: slug } } }),
      ),
  });
  const reload = () => qc.invalidateQueries({ queryKey: key });
  const canUpdate = can("webhook:update");

  const patch = usePatchWebhook(org, slug, q.data?.etag);
  const [rotating, setRotating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/webhooks/{webhook}/rotate-secret", {
          params: { path: { org, webhook: slug } },
        }),
      ),
    onSuccess: (w) => {
      setRotating(false);
      setSecret(w.secret);
      reload();
    },
  });
  const [deleting, setDeleting] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/organizations/{org}/webhooks/{webhook}", {
          params: { path: { org, webhook: slug } },
        }),
      ),
    onSuccess: () => {
      // Only the list: refetching the deleted webhook (still on screen until we leave) is a 404.
      qc.invalidateQueries({ queryKey: ["webhooks", org], exact: true });
      navigate(`/o/${org}/admin/webhooks`);
    },
  });

  if (q.isPending) return <Loading />;
  if (q.error)
    return (
      <>
        <PageHeader title="Webhook" />
        <ProblemAlert error={q.error} onRetry={() => q.refetch()} />
      </>
    );
  const w = q.data.data;
  return (
    <>
      <Link
        to={`/o/${org}/admin/webhooks`}
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden /> Webhooks
      </Link>
      <PageHeader
        title={w.name}
        documentTitle={`Webhook ${w.name}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <code>{w.slug}</code> · {w.provider} · runs as <code>{w.service_account}</code> ·
            <StatusBadge status={w.active ? "active" : "inactive"} />
          </span>
        }
        actions={
          <>
            {canUpdate ? (
              <Button
                variant="outline"
                disabled={patch.isPending}
                onClick={() => patch.mutate([{ op: "replace", path: "/active", value: !w.active }])}
              >
                <Power aria-hidden /> {w.active ? "Deactivate" : "Activate"}
              </Button>
            ) : null}
            {canUpdate ? (
              <Button variant="outline" onClick={() => setRotating(true)}>
                <RotateCw aria-hidden /> Rotate secret
              </Button>
            ) : null}
            {can("webhook:delete") ? (
              <Button variant="destructive" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden /> Delete
              </Button>
            ) : null}
          </>
        }
      />
      {patch.error ? <WriteError error={patch.error} onReload={reload} /> : null}
      <Tabs.Root
        value={tab}
        activationMode="manual"
        onValueChange={(v) => {
          const next = new URLSearchParams(sp);
          if (v === "settings") next.delete("tab");
          else next.set("tab", v);
          if (v !== "deliveries") {
            next.delete("status");
            next.delete("delivery");
          }
          setSp(next);
        }}
      >
        <Tabs.List aria-label="Webhook sections" className="mb-4 flex gap-1 border-b">
          {TABS.map((t) => (
            <Tabs.Trigger key={t.value} value={t.value} className={trigger}>
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="settings" className="focus-visible:outline-none">
          <SettingsForm
            key={q.data.etag ?? w.updated_at}
            webhook={w}
            etag={q.data.etag}
            canUpdate={canUpdate}
            onReload={reload}
          />
        </Tabs.Content>
        <Tabs.Content value="rules" className="focus-visible:outline-none">
          <RulesTab webhook={w} etag={q.data.etag} canUpdate={canUpdate} onReload={reload} />
        </Tabs.Content>
        <Tabs.Content value="deliveries" className="focus-visible:outline-none">
          <WebhookDeliveries org={org} webhook={w.slug} canReplay={canUpdate} />
        </Tabs.Content>
      </Tabs.Root>
      <ConfirmDialog
        open={rotating}
        onOpenChange={setRotating}
        title="Rotate the secret?"
        description="A new secret is generated and shown once. Deliveries signed with the old one are refused from then on: paste the new one into the sender right away."
        confirmLabel="Rotate secret"
        pending={rotate.isPending}
        onConfirm={() => rotate.mutate()}
      >
        <ProblemAlert error={rotate.error} />
      </ConfirmDialog>
      {secret ? (
        <SecretOnceDialog
          stored="sealed"
          title="New webhook secret"
          label="Secret"
          secret={secret}
          extra={
            <>
              <p className="text-sm font-medium">You won't see this secret again.</p>
              <ReceiverUrl path={w.path} />
            </>
          }
          onClose={() => setSecret(null)}
        />
      ) : null}
      <TypeToDeleteDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete ${w.name}?`}
        slug={w.slug}
        description="Its URL stops accepting deliveries (404) and its rules and delivery log are deleted."
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
        error={<ProblemAlert error={remove.error} />}
      />
    </>
  );
}

/** A JSON Patch of this webhook with If-Match (each section has its own, so errors stay put). */
function usePatchWebhook(org: string, slug: string, etag: string | undefined) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [sp] = useSearchParams();
  return useMutation({
    mutationFn: (ops: JsonPatch) =>
      unwrap(
        api.PATCH("/api/organizations/{org}/webhooks/{webhook}", {
          params: { path: { org, webhook: slug }, header: ifMatch(etag) },
          body: ops,
        }),
      ),
    onSuccess: (w) => {
      if (w.slug === slug) {
        qc.invalidateQueries({ queryKey: ["webhooks", org] });
        return;
      }
      // Renamed: the old slug is gone (a 404 if refetched); the page moves to the new one.
      qc.invalidateQueries({ queryKey: ["webhooks", org], exact: true });
      navigate(`/o/${org}/admin/webhooks/${w.slug}?${sp.toString()}`, { replace: true });
    },
  });
}

interface Settings {
  name: string;
  slug: string;
  description: string;
  provider: Provider;
  service_account: string;
  identifier_source: string;
  identifier_selector: string;
  event_type_selector: string;
  sender_selector: string;
}

function SettingsForm({
  webhook: w,
  etag,
  canUpdate,
  onReload,
}: {
  webhook: Webhook;
  etag: string | undefined;
  canUpdate: boolean;
  onReload: () => void;
}) {
  const { slug: org } = useOrg();
  const patch = usePatchWebhook(org, w.slug, etag);
  const initial: Settings = {
    name: w.name,
    slug: w.slug,
    description: w.description,
    provider: w.provider,
    service_account: w.service_account,
    identifier_source: w.identifier_source,
    identifier_selector: w.identifier_selector,
    event_type_selector: w.event_type_selector,
    sender_selector: w.sender_selector,
  };
  const [form, setForm] = useState(initial);
  const set = (p: Partial<Settings>) => setForm((f) => ({ ...f, ...p }));
  const ops = settingsPatch(
    initial as unknown as Record<string, unknown>,
    form as unknown as Record<string, unknown>,
  );
  const errors = patch.error instanceof ApiError ? patch.error.fieldErrors() : {};
  const ro = !canUpdate;
  const input = (k: keyof Settings, id: string, error?: string) => ({
    id,
    value: form[k],
    readOnly: ro,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
  });
  return (
    <form
      className="grid max-w-3xl gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (ops.length) patch.mutate(ops);
      }}
    >
      <ReceiverUrl path={w.path} />
      <div className="grid grid-cols-2 gap-3">
        <Field id="ws-name" label="Name" error={errors.name}>
          <Input {...input("name", "ws-name", errors.name)} onChange={(e) => set({ name: e.target.value })} />
        </Field>
        <Field id="ws-slug" label="Slug" error={errors.slug}>
          <Input {...input("slug", "ws-slug", errors.slug)} onChange={(e) => set({ slug: e.target.value })} />
        </Field>
      </div>
      <Field id="ws-description" label="Description" error={errors.description}>
        <Textarea
          {...input("description", "ws-description", errors.description)}
          onChange={(e) => set({ description: e.target.value })}
        />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field id="ws-provider" label="Provider" error={errors.provider}>
          <Select
            {...input("provider", "ws-provider", errors.provider)}
            disabled={ro}
            onChange={(e) => set({ provider: e.target.value as Provider })}
          >
            {PROVIDERS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id="ws-sa"
          label="Service account"
          hint={
            errors.service_account
              ? undefined
              : "A member of this organization (e.g. with the imbi-gateway role)."
          }
          error={errors.service_account}
        >
          <Input
            {...input("service_account", "ws-sa", errors.service_account)}
            aria-describedby={errors.service_account ? "ws-sa-error" : "ws-sa-hint"}
            onChange={(e) => set({ service_account: e.target.value })}
          />
        </Field>
        {SELECTORS.map((k) => (
          <Field
            key={k}
            id={`ws-${k}`}
            label={SELECTOR_LABELS[k].label}
            hint={SELECTOR_LABELS[k].hint}
            error={errors[k]}
          >
            <Input
              {...input(k, `ws-${k}`, errors[k])}
              aria-describedby={errors[k] ? `ws-${k}-error` : `ws-${k}-hint`}
              className="font-mono text-xs"
              onChange={(e) => set({ [k]: e.target.value })}
            />
          </Field>
        ))}
      </div>
      <p className="text-xs text-muted-foreground">
        Created by {w.created_by} on {when(w.created_at)}; last changed {when(w.updated_at)}.
      </p>
      {patch.error ? <WriteError error={patch.error} onReload={onReload} /> : null}
      {canUpdate ? (
        <div className="flex gap-2">
          <Button type="submit" disabled={patch.isPending || ops.length === 0}>
            Save settings
          </Button>
          <Button
            type="button"
            variant="outline"
            disabled={ops.length === 0}
            onClick={() => setForm(initial)}
          >
            Discard changes
          </Button>
        </div>
      ) : null}
    </form>
  );
}

function RulesTab({
  webhook: w,
  etag,
  canUpdate,
  onReload,
}: {
  webhook: Webhook;
  etag: string | undefined;
  canUpdate: boolean;
  onReload: () => void;
}) {
  const { slug: org } = useOrg();
  const patch = usePatchWebhook(org, w.slug, etag);
  const saved = JSON.stringify(w.rules, null, 2);
  const [text, setText] = useState(w.rules.length || !canUpdate ? saved : RULE_EXAMPLE);
  // Saved (here or by a reload): the editor shows what the server holds.
  const [shown, setShown] = useState(saved);
  if (shown !== saved) {
    setShown(saved);
    setText(saved);
  }
  const parsed = parseRules(text);
  // The server's errors are about the text that was sent: once it is edited they no longer apply.
  const [sent, setSent] = useState<string | null>(null);
  const serverErrors = sent === text ? ruleErrors(patch.error) : [];
  const problems = parsed.problem ? [parsed.problem] : serverErrors;
  const dirty = text !== saved;
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="grid content-start gap-3">
        {w.rules.length === 0 && canUpdate ? (
          <p className="text-sm text-muted-foreground">
            No rules yet: deliveries are stored but nothing runs. An example is filled in below — edit it and
            save.
          </p>
        ) : null}
        <JsonEditor
          value={text}
          onChange={setText}
          readOnly={!canUpdate}
          label="Rules (JSON)"
          describedBy="rules-problems"
          invalid={problems.length > 0}
        />
        <div id="rules-problems" aria-live="polite" className="text-sm">
          {problems.length ? (
            <div role="alert" className="rounded-md border border-destructive/50 bg-destructive/10 p-3">
              <p className="font-medium">The rules were not saved:</p>
              <ul className="mt-1 list-disc pl-5 font-mono text-xs">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : patch.isSuccess && !dirty ? (
            <p role="status">Rules saved.</p>
          ) : null}
        </div>
        {patch.error && ruleErrors(patch.error).length === 0 ? (
          <WriteError error={patch.error} onReload={onReload} />
        ) : null}
        {canUpdate ? (
          <div className="flex gap-2">
            <Button
              disabled={patch.isPending || !parsed.rules || !dirty}
              onClick={() => {
                if (!parsed.rules) return;
                setSent(text);
                patch.mutate([{ op: "replace", path: "/rules", value: parsed.rules }]);
              }}
            >
              Save rules
            </Button>
            <Button variant="outline" disabled={!dirty} onClick={() => setText(saved)}>
              Discard changes
            </Button>
          </div>
        ) : null}
      </div>
      <RulesReference />
    </div>
  );
}
