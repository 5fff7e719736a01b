// Outbound subscriptions of the organization: where Imbi POSTs its change events (Standard
// Webhooks). The list shows each one's filters and circuit breaker; create shows the secret once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, unwrap } from "@/api/client";
import { SecretOnceDialog } from "@/components/admin/SecretOnceDialog";
import { StatusBadge } from "@/components/automations/common";
import {
  Circuit,
  EMPTY_SUBSCRIPTION,
  type Subscription,
  SubscriptionForm,
} from "@/components/automations/SubscriptionForm";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useOrg } from "@/lib/session";

const filters = (s: Subscription) =>
  [
    s.entity_types.length ? s.entity_types.join(", ") : "all entities",
    s.actions.length ? s.actions.join(", ") : "all actions",
    s.projects.length ? `${s.projects.length} project${s.projects.length === 1 ? "" : "s"}` : "",
    s.teams.length ? `teams ${s.teams.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(" · ");

export function Subscriptions() {
  const { slug: org, can } = useOrg();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  const list = useQuery({
    queryKey: ["subscriptions", org],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/subscriptions", {
          params: { path: { org }, query: { limit: 100 } },
        }),
      ),
  });
  const create = useMutation({
    mutationFn: (body: typeof EMPTY_SUBSCRIPTION) =>
      unwrap(
        api.POST("/api/organizations/{org}/subscriptions", {
          params: { path: { org } },
          body: { ...body, description: body.description.trim() || undefined },
        }),
      ),
    onSuccess: (s) => {
      qc.invalidateQueries({ queryKey: ["subscriptions", org] });
      setCreating(false);
      setCreated({ id: s.id, secret: s.secret });
    },
  });
  const items = list.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Subscriptions"
        description="Outbound webhooks: Imbi POSTs its change events (projects, scores, releases, deployments…) to these URLs, signed per Standard Webhooks."
        actions={
          can("subscription:create") ? (
            <Button
              onClick={() => {
                create.reset();
                setCreating(true);
              }}
            >
              <Plus aria-hidden /> New subscription
            </Button>
          ) : null
        }
      />
      {list.isPending ? <Loading /> : null}
      <ProblemAlert error={list.error} onRetry={() => list.refetch()} />
      {list.data && items.length === 0 ? (
        <EmptyState title="No subscriptions yet">
          {can("subscription:create")
            ? "Create one with the URL of a receiver that verifies the signature; events start flowing right away."
            : "Someone with subscription:create in this organization can add one."}
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <div className="overflow-x-auto rounded-md border">
          <table className="w-full text-sm">
            <caption className="sr-only">Subscriptions</caption>
            <thead className="bg-muted/50 text-left">
              <tr>
                <th className="p-2 font-medium">URL</th>
                <th className="p-2 font-medium">Events</th>
                <th className="p-2 font-medium">Status</th>
                <th className="p-2 font-medium">Circuit</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id} className="border-t align-top">
                  <td className="p-2">
                    <Link
                      to={`/o/${org}/admin/subscriptions/${s.id}`}
                      className="break-all font-medium underline-offset-4 hover:underline"
                    >
                      {s.url}
                    </Link>
                    {s.description ? (
                      <span className="block text-xs text-muted-foreground">{s.description}</span>
                    ) : null}
                  </td>
                  <td className="p-2 text-xs">{filters(s)}</td>
                  <td className="p-2">
                    <StatusBadge status={s.active ? "active" : "inactive"} />
                  </td>
                  <td className="p-2">
                    <Circuit s={s} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {creating ? (
        <Dialog
          open
          onOpenChange={(o) => !o && setCreating(false)}
          title="New subscription"
          className="max-w-2xl"
        >
          <SubscriptionForm
            org={org}
            initial={EMPTY_SUBSCRIPTION}
            submitLabel="Create subscription"
            onSubmit={(v) => create.mutate(v)}
            error={create.error}
            pending={create.isPending}
            onCancel={() => setCreating(false)}
          />
        </Dialog>
      ) : null}
      {created ? (
        <SecretOnceDialog
          stored="sealed"
          title="Subscription created"
          label="Signing secret"
          secret={created.secret}
          extra={
            <p className="text-sm">
              You won't see this secret again. The receiver verifies each delivery's{" "}
              <code>webhook-signature</code> with it (Standard Webhooks).
            </p>
          }
          onClose={() => {
            const id = created.id;
            setCreated(null);
            navigate(`/o/${org}/admin/subscriptions/${id}`);
          }}
        />
      ) : null}
    </>
  );
}
