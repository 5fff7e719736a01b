// A webhook's delivery log: newest first, filtered by status (in the URL), each row expandable
// (also in the URL) to what every rule did per project, the redacted headers and the payload;
// processed and dead deliveries can be replayed (the rules run again on the stored body; a pending
// one is refused with 409, shown in its row).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, RefreshCw, RotateCcw } from "lucide-react";
import { Fragment } from "react";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { when } from "@/components/reference/fetchers";
import { EmptyState, Loading, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Label, Select } from "@/components/ui/input";
import { JsonBlock, StatusBadge } from "./common";

type Delivery = components["schemas"]["InboundWebhookDelivery"];
const STATUSES = ["pending", "processed", "dead"] as const;

export function WebhookDeliveries({
  org,
  webhook,
  canReplay,
}: {
  org: string;
  webhook: string;
  canReplay: boolean;
}) {
  const [sp, setSp] = useSearchParams();
  const status = STATUSES.find((s) => s === sp.get("status"));
  const open = sp.get("delivery");
  const list = useQuery({
    queryKey: ["webhooks", org, webhook, "deliveries", status ?? "all"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/webhooks/{webhook}/deliveries", {
          params: { path: { org, webhook }, query: { limit: 100, ...(status ? { status } : {}) } },
        }),
      ),
    // While something is being processed, look again shortly.
    refetchInterval: (q) => (q.state.data?.data.some((d) => d.status === "pending") ? 2000 : false),
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
    <section aria-labelledby="deliveries-heading" className="grid gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="deliveries-heading" className="text-lg font-semibold">
          Delivery log
        </h2>
        <div className="flex items-end gap-2">
          <div className="grid gap-1.5">
            <Label htmlFor="delivery-status">Status</Label>
            <Select
              id="delivery-status"
              value={status ?? ""}
              className="w-40"
              onChange={(e) => setParam("status", e.target.value || undefined)}
            >
              <option value="">All</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
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
            : "Give the receiver URL and the secret to the sender; each delivery it posts appears here with what the rules did."}
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <div className="overflow-x-auto rounded-md border">
          <table className="w-full text-sm">
            <caption className="sr-only">Deliveries</caption>
            <thead className="bg-muted/50 text-left">
              <tr>
                <th className="w-10 p-2">
                  <span className="sr-only">Details</span>
                </th>
                <th className="p-2 font-medium">Received</th>
                <th className="p-2 font-medium">Event</th>
                <th className="p-2 font-medium">Status</th>
                <th className="p-2 font-medium">Projects</th>
                <th className="p-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const expanded = open === d.id;
                return (
                  <Fragment key={d.id}>
                    <tr className="border-t">
                      <td className="p-2">
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-expanded={expanded}
                          aria-controls={`delivery-${d.id}`}
                          aria-label={`Details of delivery ${d.event_type} ${when(d.received_at)}`}
                          onClick={() => setParam("delivery", expanded ? undefined : d.id)}
                        >
                          {expanded ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />}
                        </Button>
                      </td>
                      <td className="p-2 whitespace-nowrap">{when(d.received_at)}</td>
                      <td className="p-2">
                        <code>{d.event_type}</code>
                      </td>
                      <td className="p-2">
                        <StatusBadge status={d.status} />
                        {d.last_error ? (
                          <span className="block text-xs text-muted-foreground">{d.last_error}</span>
                        ) : null}
                      </td>
                      <td className="p-2">
                        <ProjectLinks org={org} ids={d.matched_projects} />
                      </td>
                      <td className="p-2 text-right">
                        {/* Also while pending: the server then answers 409, shown here. */}
                        {canReplay ? <ReplayButton org={org} webhook={webhook} delivery={d} /> : null}
                      </td>
                    </tr>
                    {expanded ? (
                      <tr id={`delivery-${d.id}`} className="bg-muted/20">
                        <td colSpan={6} className="p-3">
                          <DeliveryDetail org={org} webhook={webhook} id={d.id} />
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

function ReplayButton({ org, webhook, delivery }: { org: string; webhook: string; delivery: Delivery }) {
  const qc = useQueryClient();
  const replay = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/webhooks/{webhook}/deliveries/{delivery}/replay", {
          params: { path: { org, webhook, delivery: delivery.id } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["webhooks", org, webhook, "deliveries"] }),
  });
  return (
    <div className="grid justify-items-end gap-1">
      <Button variant="outline" size="sm" disabled={replay.isPending} onClick={() => replay.mutate()}>
        <RotateCcw aria-hidden /> Replay
      </Button>
      <span role="status" className="text-xs text-muted-foreground">
        {replay.isSuccess ? "Replay queued: the rules run again." : ""}
      </span>
      {replay.error ? <ProblemAlert error={replay.error} className="max-w-xs text-left" /> : null}
    </div>
  );
}

/** Links to the matched projects' pages, by name once loaded. */
function ProjectLinks({ org, ids }: { org: string; ids: string[] }) {
  if (ids.length === 0) return <span className="text-muted-foreground">none</span>;
  return (
    <span className="flex flex-wrap gap-x-2">
      {ids.map((id) => (
        <ProjectLink key={id} org={org} id={id} />
      ))}
    </span>
  );
}

function ProjectLink({ org, id }: { org: string; id: string }) {
  const q = useQuery({
    queryKey: ["projects", org, id, "name"],
    queryFn: () =>
      unwrap(api.GET("/api/organizations/{org}/projects/{id}", { params: { path: { org, id } } })).then(
        (p) => p.name,
      ),
    staleTime: 300_000,
    retry: false,
  });
  return (
    <Link to={`/o/${org}/projects/${id}`} className="underline underline-offset-4">
      {q.data ?? id}
    </Link>
  );
}

function DeliveryDetail({ org, webhook, id }: { org: string; webhook: string; id: string }) {
  const q = useQuery({
    queryKey: ["webhooks", org, webhook, "deliveries", "one", id],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/webhooks/{webhook}/deliveries/{delivery}", {
          params: { path: { org, webhook, delivery: id } },
        }),
      ),
    // A replay makes it pending (outcomes cleared): look again until the rules have run.
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 2000 : false),
  });
  if (q.isPending) return <Loading />;
  if (q.error) return <ProblemAlert error={q.error} onRetry={() => q.refetch()} />;
  const d = q.data;
  return (
    <div className="grid gap-3">
      <p className="text-xs text-muted-foreground">
        Delivery <code>{d.id}</code>
        {d.external_id ? (
          <>
            {" "}
            (sender's id <code>{d.external_id}</code>)
          </>
        ) : null}{" "}
        · {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
        {d.processed_at ? ` · processed ${when(d.processed_at)}` : ""}
        {d.next_attempt_at ? ` · next attempt ${when(d.next_attempt_at)}` : ""}
      </p>
      <h3 className="text-sm font-semibold">Rule outcomes</h3>
      {d.outcomes.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No rule ran{d.last_error ? `: ${d.last_error}` : " (no rule matched this event)."}
        </p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Rule outcomes</caption>
          <thead className="text-left">
            <tr>
              <th className="p-1 font-medium">Rule</th>
              <th className="p-1 font-medium">Action</th>
              <th className="p-1 font-medium">Project</th>
              <th className="p-1 font-medium">Outcome</th>
              <th className="p-1 font-medium">Detail</th>
              <th className="p-1 text-right font-medium">Duration</th>
            </tr>
          </thead>
          <tbody>
            {d.outcomes.map((o) => (
              <tr key={`${o.project}-${o.rule_index}`} className="border-t align-top">
                <td className="p-1">{o.rule}</td>
                <td className="p-1">
                  <code className="text-xs">{o.action}</code>
                </td>
                <td className="p-1">
                  <ProjectLink org={org} id={o.project} />
                </td>
                <td className="p-1">
                  <StatusBadge status={o.status} />
                </td>
                <td className="p-1">{o.detail}</td>
                <td className="p-1 text-right tabular-nums">{o.duration_ms} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="grid gap-3 lg:grid-cols-2">
        <div className="grid content-start gap-1">
          <h3 className="text-sm font-semibold">Headers (redacted)</h3>
          <JsonBlock value={d.headers} label="Headers" />
        </div>
        <div className="grid content-start gap-1">
          <h3 className="text-sm font-semibold">Payload</h3>
          <JsonBlock value={d.payload ?? null} label="Payload" />
        </div>
      </div>
    </div>
  );
}
