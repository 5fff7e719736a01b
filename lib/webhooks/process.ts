// The processor of received webhook deliveries (ADR 0014): claims stored deliveries, finds the
// projects they concern by external identifier, runs the webhook's rules in order as its service
// account, and records every outcome on the delivery (and a row in the analytics record). A rule
// that failed for a reason that may pass (a verb's 5xx, an outage) makes the delivery retry with
// backoff — only that rule, for that project: what succeeded is not run twice — and after the last
// attempt the delivery is dead, visible in the log and replayable.

import type { AnalyticsRow } from "../analytics/index.ts";
import { type OrgRef, orgById } from "../catalog/org.ts";
import { listProjects } from "../catalog/project_verbs.ts";
import type { Actor } from "../core/actor.ts";
import { createCtx } from "../core/ctx.ts";
import { DomainError } from "../errors.ts";
import type { Services } from "../services.ts";
import { runAction } from "./actions.ts";
import { atPointer, externalIdentifier } from "./delivery.ts";
import { backoffSeconds } from "./dispatch.ts";
import { evaluateFilter, type FilterInput } from "./filters.ts";
import {
  type ClaimedReceipt,
  claimReceipts,
  finishReceipt,
  type ReceiptStatus,
  type RuleOutcome,
  type Webhook,
  webhookForReceiver,
} from "./inbound.ts";

/** How long a claim holds a delivery before another processor may take it. */
const LEASE_SECONDS = 300;
/** The most projects one delivery acts on (an identifier shared more widely is a data problem). */
const MAX_PROJECTS = 100;

/** What one processed delivery came to. */
export interface ProcessedReceipt {
  id: string;
  status: ReceiptStatus;
  /** Seconds until the next attempt, when it is pending again. */
  retryInSeconds: number;
}

/** The actor a webhook's rules run as: its service account, limited to the webhook's organization. */
export function webhookActor(w: Pick<Webhook, "id" | "service_account">, orgSlug: string): Actor {
  return {
    kind: "service_account",
    id: w.service_account,
    isAdmin: false,
    credential: { method: "webhook", webhookId: w.id },
    scopes: null,
    organizations: [orgSlug],
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Whether a failure may pass on its own (so the rule is retried): outages, limits, races, bugs. */
function retryable(e: unknown): boolean {
  if (!(e instanceof DomainError)) return true;
  return [
    "RATE_LIMITED",
    "SERVICE_UNAVAILABLE",
    "INTERNAL",
    "PRECONDITION_FAILED",
    "BAD_ENVIRONMENT",
  ].includes(e.code);
}

interface Result {
  /** The webhook and organization, when they still exist (the analytics record needs them). */
  where?: { webhook: string; webhookId: string; organization: string };
  status: ReceiptStatus;
  matchedProjects: string[];
  outcomes: RuleOutcome[];
  error: string | null;
  retryInSeconds: number;
}

/** Runs a claimed delivery's rules; never throws for what a rule or the data does. */
/** A webhook with its organization, looked up once per batch (a burst is mostly one webhook's). */
type WebhookLookup = (
  id: string,
) => Promise<{ webhook: Awaited<ReturnType<typeof webhookForReceiver>>; org: OrgRef | undefined }>;

function webhookLookup(s: Services): WebhookLookup {
  const seen = new Map<string, ReturnType<WebhookLookup>>();
  return (id) => {
    let found = seen.get(id);
    if (!found) {
      found = webhookForReceiver(s.sql, id).then(async (webhook) => ({
        webhook,
        org: webhook ? await orgById(s.graph, webhook.org_id) : undefined,
      }));
      seen.set(id, found);
    }
    return found;
  };
}

async function processOne(s: Services, r: ClaimedReceipt, lookup: WebhookLookup): Promise<Result> {
  let where: Result["where"];
  const finished = (
    error: string | null,
    matchedProjects: string[] = [],
    outcomes: RuleOutcome[] = [],
  ): Result => ({
    where,
    status: "processed",
    matchedProjects,
    outcomes,
    error,
    retryInSeconds: 0,
  });
  const { webhook, org } = await lookup(r.webhook_id);
  if (!webhook) return finished("the webhook was deleted");
  if (!webhook.active) return finished("the webhook is inactive; its rules did not run");
  if (!org) return finished("the webhook's organization no longer exists");
  where = { webhook: webhook.slug, webhookId: webhook.id, organization: org.slug };
  const external = externalIdentifier(webhook.identifier_selector, r.payload);
  if (external === undefined)
    return finished(`the delivery has no identifier at ${webhook.identifier_selector}; no project matched`);

  const ctx = createCtx({ services: s, actor: webhookActor(webhook, org.slug), org, requestId: r.id });
  let projects: string[];
  try {
    const page = await listProjects(ctx, {
      identifier: `${webhook.identifier_source}:${external}`,
      archived: "false",
      limit: MAX_PROJECTS,
    });
    projects = page.data.map((p) => p.id);
  } catch (e) {
    if (retryable(e)) throw e;
    return finished(`finding the projects failed: ${message(e)}`);
  }
  if (projects.length === 0) return finished(null, [], []);

  const delivery: FilterInput = {
    type: r.event_type,
    headers: r.headers,
    payload: r.payload,
    integration: { slug: webhook.slug, provider: webhook.provider },
  };
  const senderValue = webhook.sender_selector ? atPointer(r.payload, webhook.sender_selector) : undefined;
  const sender = typeof senderValue === "string" && senderValue ? senderValue.slice(0, 320) : undefined;
  // Outcomes of earlier attempts that need no rerun (succeeded, skipped, or refused for good).
  const kept = new Map(
    r.outcomes.filter((o) => !o.retryable).map((o) => [`${o.project}#${o.rule_index}#${o.rule}`, o]),
  );
  const outcomes: RuleOutcome[] = [];
  for (const project of projects)
    for (const [i, rule] of webhook.rules.entries()) {
      if (!rule.enabled) continue;
      const earlier = kept.get(`${project}#${i}#${rule.name}`);
      if (earlier) {
        outcomes.push(earlier);
        continue;
      }
      const base = { project, rule: rule.name, rule_index: i, action: rule.action };
      const filter = evaluateFilter(rule.filter, delivery);
      if ("error" in filter) {
        outcomes.push({
          ...base,
          status: "skipped",
          retryable: false,
          duration_ms: 0,
          detail: `filter: ${filter.error}`,
        });
        continue;
      }
      if (!filter.matched) continue;
      const started = performance.now();
      try {
        const out = await runAction(rule, { ctx, project, delivery, sender });
        outcomes.push({
          ...base,
          ...out,
          retryable: false,
          duration_ms: Math.round(performance.now() - started),
        });
      } catch (e) {
        outcomes.push({
          ...base,
          status: "failed",
          retryable: retryable(e),
          duration_ms: Math.round(performance.now() - started),
          detail: message(e).slice(0, 1024),
        });
      }
    }

  const retry = outcomes.filter((o) => o.retryable);
  if (retry.length === 0) return finished(null, projects, outcomes);
  const error = `${retry.length} rule(s) failed and will be retried: ${retry[0]?.detail ?? ""}`;
  if (r.attempts >= s.env.IMBI_WEBHOOKS_MAX_ATTEMPTS)
    return { where, status: "dead", matchedProjects: projects, outcomes, error, retryInSeconds: 0 };
  return {
    where,
    status: "pending",
    matchedProjects: projects,
    outcomes,
    error,
    retryInSeconds: backoffSeconds(s.env, r.attempts),
  };
}

/** The analytics record of one processing attempt (after the fact; never fails processing). */
function record(s: Services, r: ClaimedReceipt, result: Result, durationMs: number): void {
  if (!result.where) return;
  const status =
    result.status === "pending"
      ? "retrying"
      : result.status === "dead"
        ? "dead"
        : result.outcomes.length === 0
          ? "unmatched"
          : "processed";
  const at = new Date();
  const row: AnalyticsRow<"webhook_deliveries"> = {
    // A replay starts counting attempts again: the time keeps its rows apart from the first round's.
    id: `${r.id}.${r.attempts}.${at.getTime()}`,
    occurred_at: at.toISOString(),
    organization: result.where.organization,
    webhook: result.where.webhook,
    webhook_id: result.where.webhookId,
    delivery_id: r.id,
    external_id: r.external_id ?? "",
    event_type: r.event_type,
    attempt: r.attempts,
    status,
    matched_projects: result.matchedProjects,
    outcomes: result.outcomes.map((o) => ({
      project: o.project,
      rule: o.rule.slice(0, 64),
      action: o.action,
      status: o.status,
      duration_ms: o.duration_ms,
      error: o.status === "succeeded" ? "" : o.detail.slice(0, 2048),
    })),
    headers: r.headers,
    duration_ms: durationMs,
    error: (result.error ?? "").slice(0, 2048),
  };
  s.background(
    s.analytics.insert("webhook_deliveries", [row]).then((res) => {
      if (res.err) s.log.warn("webhook delivery record failed", { delivery: r.id, error: res.err.message });
    }),
  );
}

/**
 * Processes due deliveries (or the ones named by `ids`, when due), one at a time in the order
 * they were received, up to `limit`. Throws only when Postgres fails.
 */
export async function processReceipts(
  s: Services,
  opts: { ids?: readonly string[]; limit?: number } = {},
): Promise<ProcessedReceipt[]> {
  const claimed = await claimReceipts(s.sql, {
    limit: opts.limit ?? 25,
    leaseSeconds: LEASE_SECONDS,
    ids: opts.ids,
  });
  const done: ProcessedReceipt[] = [];
  const lookup = webhookLookup(s);
  for (const r of claimed) {
    let result: Result;
    const started = performance.now();
    try {
      result = await processOne(s, r, lookup);
    } catch (e) {
      // The stores failed before any rule could run: the whole delivery is retried.
      const dead = r.attempts >= s.env.IMBI_WEBHOOKS_MAX_ATTEMPTS;
      result = {
        status: dead ? "dead" : "pending",
        matchedProjects: r.matched_projects,
        outcomes: r.outcomes,
        error: message(e),
        retryInSeconds: dead ? 0 : backoffSeconds(s.env, r.attempts),
      };
    }
    await finishReceipt(s.sql, r.id, result);
    record(s, r, result, Math.round(performance.now() - started));
    done.push({ id: r.id, status: result.status, retryInSeconds: result.retryInSeconds });
  }
  return done;
}

// One processing loop per database client: on Node the pool is shared by every request, so a burst
// of deliveries is drained by one loop in batches instead of one claim race per request; on
// Workers each request has its own client, so each runs its own (short) loop.
const loops = new WeakMap<object, { again: boolean }>();

/**
 * The in-process queue: processes what is due after the response, in received order, until
 * nothing is. A call while a loop runs on the same client only asks it for another round. Failures
 * are logged; the sweeps retry.
 */
export function processSoon(s: Services): void {
  const key = s.sql as object;
  const running = loops.get(key);
  if (running) {
    running.again = true;
    return;
  }
  const state = { again: false };
  loops.set(key, state);
  const loop = async () => {
    try {
      for (;;) {
        state.again = false;
        const done = await processReceipts(s, { limit: 25 });
        if (done.length === 0 && !state.again) break;
      }
    } finally {
      loops.delete(key);
    }
  };
  s.background(
    loop().catch((e: unknown) => s.log.warn("webhook delivery processing failed", { error: message(e) })),
  );
}

/** One delivered message of the Cloudflare queue (structural; lib/ does not depend on workers-types). */
interface QueueMessage {
  readonly body: unknown;
  ack(): void;
  retry(opts?: { delaySeconds?: number }): void;
}

/**
 * The `imbi-webhooks` queue consumer (Workers): processes the deliveries each message names; a
 * message whose delivery must be retried is retried with the delivery's backoff (its row is due
 * then), anything else is acknowledged. A message that fails outright is retried by the runtime
 * and, after max_retries, lands in the dead-letter queue — while the row stays due for the cron.
 */
export async function consumeWebhookBatch(
  s: Services,
  batch: { messages: readonly QueueMessage[] },
): Promise<void> {
  for (const m of batch.messages) {
    const body = m.body as { receipts?: unknown };
    const ids = Array.isArray(body?.receipts)
      ? body.receipts.filter((x): x is string => typeof x === "string")
      : [];
    if (ids.length === 0) {
      m.ack();
      continue;
    }
    try {
      const results = await processReceipts(s, { ids });
      const wait = Math.max(0, ...results.filter((r) => r.status === "pending").map((r) => r.retryInSeconds));
      if (results.some((r) => r.status === "pending"))
        m.retry({ delaySeconds: Math.max(1, Math.ceil(wait)) });
      else m.ack();
    } catch (e) {
      s.log.warn("webhook queue message failed", { error: message(e) });
      m.retry({ delaySeconds: 10 });
    }
  }
}
