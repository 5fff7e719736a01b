// One outbound subscription: its settings (JSON Patch with If-Match), circuit breaker, secret
// rotation (shown once), delete, and its delivery log (status filter in the URL, dead letters
// included) with redelivery.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, ChevronDown, ChevronRight, RefreshCw, RotateCcw, RotateCw, Trash2 } from "lucide-react";
import { Fragment, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { SecretOnceDialog } from "@/components/admin/SecretOnceDialog";
import { JsonBlock, StatusBadge, WriteError } from "@/components/automations/common";
import {
  Circuit,
  SubscriptionForm,
  subscriptionPatch,
  valuesOf,
} from "@/components/automations/SubscriptionForm";
import { ifMatch, when, withEtag } from "@/components/reference/fetchers";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Label, Select } from "@/components/ui/input";
import { useOrg } from "@/lib/session";

type Delivery = components["schemas"]["WebhookDelivery"];
const STATUSES = ["pending", "delivered", "dead"] as const;

export function SubscriptionDetail() {
  const { slug: org, can } = useOrg();
  const { subscription: id = "" } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const key = ["subscriptions", org, id] as const;
  const q = useQuery({
    queryKey: key,
    queryFn: () =>
      withEtag(
        api.GET("/api/organizations/{org}/subscriptions/{subscription}", {
          params: { path: { org, subscription: id } },
        }),
      ),
  });
  const reload = () => qc.invalidateQueries({ queryKey: key });
  const save = useMutation({
    mutationFn: (ops: components["schemas"]["JsonPatch"]) =>
      unwrap(
        api.PATCH("/api/organizations/{org}/subscriptions/{subscription}", {
          params: { path: { org, subscription: id }, header: ifMatch(q.data?.etag) },
          body: ops,
        }),
      ),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ["subscriptions", org] });
    },
  });
  const [rotating, setRotating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/subscriptions/{subscription}/rotate-secret", {
          params: { path: { org, subscription: id } },
        }),
      ),
    onSuccess: (s) => {
      setRotating(false);
      setSecret(s.secret);
      reload();
    },
  });
  const [deleting, setDeleting] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/organizations/{org}/subscriptions/{subscription}", {
          params: { path: { org, subscription: id } },
        }),
      ),
    onSuccess: () => {
      // Only the list: refetching the deleted subscription (still on screen until we leave) is a 404.
      qc.invalidateQueries({ queryKey: ["subscriptions", org], exact: true });
      navigate(`/o/${org}/admin/subscriptions`);
    },
  });
  if (q.isPending) return <Loading />;
  if (q.error)
    return (
      <>
        <PageHeader title="Subscription" />
        <ProblemAlert error={q.error} onRetry={() => q.refetch()} />
      </>
    );
  const s = q.data.data;
  const canUpdate = can("subscription:update");
  return (
    <>
      <Link
        to={`/o/${org}/admin/subscriptions`}
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden /> Subscriptions
      </Link>
      <PageHeader
        title={<span className="break-all">{s.url}</span>}
        documentTitle="Subscription"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <code>{s.id}</code> · <StatusBadge status={s.active ? "active" : "inactive"} /> · created by{" "}
            {s.created_by} {when(s.created_at)}
          </span>
        }
        actions={
          <>
            {canUpdate ? (
              <Button variant="outline" onClick={() => setRotating(true)}>
                <RotateCw aria-hidden /> Rotate secret
              </Button>
            ) : null}
            {can("subscription:delete") ? (
              <Button variant="destructive" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden /> Delete
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <Card>
          <CardHeader>
            <CardTitle>Settings</CardTitle>
          </CardHeader>
          <CardContent>
            <SubscriptionForm
              key={q.data.etag ?? s.updated_at}
              org={org}
              initial={valuesOf(s)}
              submitLabel="Save subscription"
              readOnly={!canUpdate}
              pending={save.isPending}
              error={save.error}
              extraError={
                save.error &&
                !(save.error instanceof ApiError && Object.keys(save.error.fieldErrors()).length) ? (
                  <WriteError error={save.error} onReload={reload} />
                ) : undefined
              }
              onSubmit={(v) => {
                const ops = subscriptionPatch(valuesOf(s), v);
                if (ops.length) save.mutate(ops as components["schemas"]["JsonPatch"]);
              }}
            />
            {save.isSuccess && !save.isPending ? (
              <p role="status" className="mt-2 text-sm">
                Saved.
              </p>
            ) : null}
          </CardContent>
        </Card>
        <Card className="h-fit">
          <CardHeader>
            <CardTitle>Circuit breaker</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2 text-sm">
            <Circuit s={s} />
            <p className="text-xs text-muted-foreground">
              After repeated failures the circuit opens: nothing is sent until it closes (deliveries wait,
              none are lost).
            </p>
          </CardContent>
        </Card>
      </div>
      <SubscriptionDeliveries org={org} id={id} canRedeliver={canUpdate} />
      <ConfirmDialog
        open={rotating}
        onOpenChange={setRotating}
        title="Rotate the signing secret?"
        description="A new secret is generated and shown once; deliveries are signed with it from now on. Update the receiver right away."
        confirmLabel="Rotate secret"
        pending={rotate.isPending}
        onConfirm={() => rotate.mutate()}
      >
        <ProblemAlert error={rotate.error} />
      </ConfirmDialog>
      {secret ? (
        <SecretOnceDialog
          stored="sealed"
          title="New signing secret"
          label="Signing secret"
          secret={secret}
          extra={<p className="text-sm font-medium">You won't see this secret again.</p>}
          onClose={() => setSecret(null)}
        />
      ) : null}
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title="Delete this subscription?"
        description={`Events stop being sent to ${s.url}; its pending deliveries are dropped.`}
        confirmLabel="Delete"
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        <ProblemAlert error={remove.error} />
      </ConfirmDialog>
    </>
  );
}

function SubscriptionDeliveries({
  org,
  id,
  canRedeliver,
}: {
  org: string;
  id: string;
  canRedeliver: boolean;
}) {
  const [sp, setSp] = useSearchParams();
  const status = STATUSES.find((x) => x === sp.get("status"));
  const open = sp.get("delivery");
  const list = useQuery({
    queryKey: ["subscriptions", org, id, "deliveries", status ?? "all"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/subscriptions/{subscription}/deliveries", {
          params: { path: { org, subscription: id }, query: { limit: 100, ...(status ? { status } : {}) } },
        }),
      ),
  });
  const setParam = (k: string, v: string | undefined) =>
    setSp((p) => {
      const next = new URLSearchParams(p);
      if (v) next.set(k, v);
      else next.delete(k);
      return next;
    });
  const items = list.data?.data ?? [];
  return (
    <section aria-labelledby="sub-deliveries" className="mt-6 grid gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="sub-deliveries" className="text-lg font-semibold">
          Delivery log
        </h2>
        <div className="flex items-end gap-2">
          <div className="grid gap-1.5">
            <Label htmlFor="sub-delivery-status">Status</Label>
            <Select
              id="sub-delivery-status"
              className="w-56"
              value={status ?? ""}
              onChange={(e) => setParam("status", e.target.value || undefined)}
            >
              <option value="">All</option>
              <option value="pending">pending</option>
              <option value="delivered">delivered</option>
              <option value="dead">dead (dead letters)</option>
            </Select>
          </div>
          <Button variant="outline" onClick={() => list.refetch()} disabled={list.isFetching}>
            <RefreshCw aria-hidden /> Refresh
          </Button>
        </div>
      </div>
      {list.isPending ? <Loading /> : null}
      <ProblemAlert error={list.error} onRetry={() => list.refetch()} />
      {list.data && items.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries` : "No deliveries yet"}>
          {status
            ? "Choose another status to see the rest."
            : "Each event this subscription matches appears here."}
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <div className="overflow-x-auto rounded-md border">
          <table className="w-full text-sm">
            <caption className="sr-only">Subscription deliveries</caption>
            <thead className="bg-muted/50 text-left">
              <tr>
                <th className="w-10 p-2">
                  <span className="sr-only">Details</span>
                </th>
                <th className="p-2 font-medium">Queued</th>
                <th className="p-2 font-medium">Event</th>
                <th className="p-2 font-medium">Status</th>
                <th className="p-2 font-medium">Attempts</th>
                <th className="p-2 font-medium">Last answer</th>
                <th className="p-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const expanded = open === d.id;
                return (
                  <Fragment key={d.id}>
                    <tr className="border-t align-top">
                      <td className="p-2">
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-expanded={expanded}
                          aria-controls={`sd-${d.id}`}
                          aria-label={`Details of delivery ${d.event_type} ${when(d.created_at)}`}
                          onClick={() => setParam("delivery", expanded ? undefined : d.id)}
                        >
                          {expanded ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />}
                        </Button>
                      </td>
                      <td className="p-2 whitespace-nowrap">{when(d.created_at)}</td>
                      <td className="p-2">
                        <code>{d.event_type}</code>
                      </td>
                      <td className="p-2">
                        <StatusBadge status={d.status} />
                      </td>
                      <td className="p-2 tabular-nums">
                        {d.attempts}
                        {d.next_attempt_at ? (
                          <span className="block text-xs text-muted-foreground">
                            next {when(d.next_attempt_at)}
                          </span>
                        ) : null}
                      </td>
                      <td className="p-2">
                        {d.last_status ?? "—"}
                        {d.last_error ? (
                          <span className="block text-xs text-muted-foreground">{d.last_error}</span>
                        ) : null}
                      </td>
                      <td className="p-2 text-right">
                        {/* Also while pending: the server then answers 409, shown here. */}
                        {canRedeliver ? <Redeliver org={org} id={id} delivery={d} /> : null}
                      </td>
                    </tr>
                    {expanded ? (
                      <tr id={`sd-${d.id}`} className="bg-muted/20">
                        <td colSpan={7} className="p-3">
                          <p className="mb-2 text-xs text-muted-foreground">
                            Delivery <code>{d.id}</code> (the <code>webhook-id</code> header) · last tried{" "}
                            {when(d.last_attempt_at)} · delivered {when(d.delivered_at)}
                          </p>
                          <JsonBlock value={d.payload ?? null} label="Payload" />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function Redeliver({ org, id, delivery }: { org: string; id: string; delivery: Delivery }) {
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/subscriptions/{subscription}/deliveries/{delivery}/redeliver", {
          params: { path: { org, subscription: id, delivery: delivery.id } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["subscriptions", org, id] }),
  });
  return (
    <div className="grid justify-items-end gap-1">
      <Button variant="outline" size="sm" disabled={m.isPending} onClick={() => m.mutate()}>
        <RotateCcw aria-hidden /> Redeliver
      </Button>
      <span role="status" className="text-xs text-muted-foreground">
        {m.isSuccess ? "Queued to be sent again." : ""}
      </span>
      {m.error ? <ProblemAlert error={m.error} className="max-w-xs text-left" /> : null}
    </div>
  );
}
