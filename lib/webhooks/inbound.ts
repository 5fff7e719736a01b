import { customAlphabet } from "nanoid";
import type { Sql } from "../db.ts";
import { DomainError } from "../errors.ts";
import type { Rule } from "./rules.ts";
import type { WebhookProvider } from "./signatures.ts";

// Storage of inbound webhooks and the deliveries received on them (schema/sql/0011, ADR 0014).
// The secret stays sealed here; only the receiver and the verbs that show it once open it.

const tail = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 21);
/** Webhook ids (the public path): `whk_` + 21 characters (125 bits). */
export const newWebhookId = () => `whk_${tail()}`;
/** Received-delivery ids: `whd_` + 21 characters. */
export const newReceiptId = () => `whd_${tail()}`;

/** What a webhook's fields may hold. */
export interface WebhookFields {
  slug: string;
  name: string;
  description: string;
  provider: WebhookProvider;
  identifier_source: string;
  identifier_selector: string;
  event_type_selector: string;
  sender_selector: string;
  service_account: string;
  rules: Rule[];
  active: boolean;
}

/** A webhook as the API shows it (never its secret). */
export interface Webhook extends WebhookFields {
  id: string;
  /** The receiver's path under the API prefix. */
  path: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

interface Row extends Omit<WebhookFields, "rules"> {
  id: string;
  org_id: string;
  rules: string;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = `id, org_id, slug, name, description, provider, identifier_source, identifier_selector,
  event_type_selector, sender_selector, service_account, rules, active, created_by, created_at, updated_at`;

const iso = (d: Date | string) => new Date(d).toISOString();

function toWebhook(r: Row): Webhook {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    provider: r.provider,
    identifier_source: r.identifier_source,
    identifier_selector: r.identifier_selector,
    event_type_selector: r.event_type_selector,
    sender_selector: r.sender_selector,
    service_account: r.service_account,
    rules: JSON.parse(r.rules) as Rule[],
    active: r.active,
    path: `/webhooks/${r.id}`,
    created_by: r.created_by,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

const notFound = (ref: string) => new DomainError("NOT_FOUND", `No webhook '${ref}' in this organization.`);
const slugTaken = (slug: string) =>
  new DomainError("CONFLICT", `The organization already has a webhook '${slug}'; pick another slug.`);

const isUnique = (e: unknown) => (e as { code?: string }).code === "23505";

/** Inserts a webhook; 409 when the slug is taken in the organization. */
export async function insertWebhook(
  sql: Sql,
  orgId: string,
  w: WebhookFields & { id: string; secretEnc: string; createdBy: string },
): Promise<Webhook> {
  try {
    const [row] = await sql<Row[]>`
      INSERT INTO webhooks (id, org_id, slug, name, description, provider, secret_enc, identifier_source,
        identifier_selector, event_type_selector, sender_selector, service_account, rules, active, created_by)
      VALUES (${w.id}, ${orgId}, ${w.slug}, ${w.name}, ${w.description}, ${w.provider}, ${w.secretEnc},
        ${w.identifier_source}, ${w.identifier_selector}, ${w.event_type_selector}, ${w.sender_selector},
        ${w.service_account}, ${JSON.stringify(w.rules)}, ${w.active}, ${w.createdBy})
      RETURNING ${sql.unsafe(COLUMNS)}`;
    return toWebhook(row as Row);
  } catch (e) {
    if (isUnique(e)) throw slugTaken(w.slug);
    throw e;
  }
}

/** One webhook of the organization by slug or id; 404 otherwise. */
export async function getWebhook(sql: Sql, orgId: string, ref: string): Promise<Webhook> {
  const [row] = await sql<Row[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM webhooks
    WHERE org_id = ${orgId} AND (slug = ${ref} OR id = ${ref})
    ORDER BY (slug = ${ref}) DESC LIMIT 1`;
  if (!row) throw notFound(ref);
  return toWebhook(row);
}

/** A webhook by its public id with its organization and sealed secret, for the receiver. */
export async function webhookForReceiver(
  sql: Sql,
  id: string,
): Promise<(Webhook & { org_id: string; secret_enc: string }) | undefined> {
  const [row] = await sql<(Row & { secret_enc: string })[]>`
    SELECT ${sql.unsafe(COLUMNS)}, secret_enc FROM webhooks WHERE id = ${id}`;
  return row ? { ...toWebhook(row), org_id: row.org_id, secret_enc: row.secret_enc } : undefined;
}

/** The organization's webhooks by slug, after `after` (limit + 1 rows). */
export async function listWebhooks(
  sql: Sql,
  orgId: string,
  page: { after: string | null; limit: number },
): Promise<Webhook[]> {
  const rows = await sql<Row[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM webhooks
    WHERE org_id = ${orgId} AND (${page.after}::text IS NULL OR slug > ${page.after}::text)
    ORDER BY slug LIMIT ${page.limit + 1}`;
  return rows.map(toWebhook);
}

/** Writes a webhook's fields; 412 when `unchangedSince` is given and it changed meanwhile. */
export async function updateWebhook(
  sql: Sql,
  orgId: string,
  id: string,
  f: WebhookFields,
  unchangedSince: string | undefined,
): Promise<Webhook> {
  try {
    const [row] = await sql<Row[]>`
      UPDATE webhooks SET slug = ${f.slug}, name = ${f.name}, description = ${f.description},
        provider = ${f.provider}, identifier_source = ${f.identifier_source},
        identifier_selector = ${f.identifier_selector}, event_type_selector = ${f.event_type_selector},
        sender_selector = ${f.sender_selector}, service_account = ${f.service_account},
        rules = ${JSON.stringify(f.rules)}, active = ${f.active}, updated_at = now()
      WHERE org_id = ${orgId} AND id = ${id}
        AND (${unchangedSince ?? null}::timestamptz IS NULL
          OR date_trunc('milliseconds', updated_at) = ${unchangedSince ?? null}::timestamptz)
      RETURNING ${sql.unsafe(COLUMNS)}`;
    if (!row) {
      await getWebhook(sql, orgId, id);
      throw new DomainError(
        "PRECONDITION_FAILED",
        "The webhook changed since the version you read (If-Match); read it again and reapply.",
      );
    }
    return toWebhook(row);
  } catch (e) {
    if (isUnique(e)) throw slugTaken(f.slug);
    throw e;
  }
}

/** Replaces the sealed secret. */
export async function setWebhookSecret(
  sql: Sql,
  orgId: string,
  id: string,
  secretEnc: string,
): Promise<Webhook> {
  const [row] = await sql<Row[]>`
    UPDATE webhooks SET secret_enc = ${secretEnc}, updated_at = now()
    WHERE org_id = ${orgId} AND id = ${id} RETURNING ${sql.unsafe(COLUMNS)}`;
  if (!row) throw notFound(id);
  return toWebhook(row);
}

/** Deletes a webhook with its deliveries. */
export async function deleteWebhook(sql: Sql, orgId: string, id: string): Promise<void> {
  const rows = await sql`DELETE FROM webhooks WHERE org_id = ${orgId} AND id = ${id} RETURNING 1`;
  if (rows.length === 0) throw notFound(id);
}

// ---- Received deliveries ----

/** Where a received delivery stands. */
export const RECEIPT_STATUSES = ["pending", "processed", "dead"] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** What one rule did for one project. */
export interface RuleOutcome {
  project: string;
  rule: string;
  /** The rule's index in the webhook's list when it ran. */
  rule_index: number;
  action: string;
  status: "succeeded" | "skipped" | "failed";
  /** A failure worth retrying (not a 4xx of the verb): the delivery is retried for this outcome. */
  retryable: boolean;
  duration_ms: number;
  /** Why it was skipped or failed; what it did when it succeeded. */
  detail: string;
}

/** A received delivery as the API shows it. */
export interface Receipt {
  id: string;
  seq: number;
  external_id: string | null;
  event_type: string;
  status: ReceiptStatus;
  attempts: number;
  next_attempt_at: string | null;
  matched_projects: string[];
  outcomes: RuleOutcome[];
  last_error: string | null;
  received_at: string;
  processed_at: string | null;
  headers: Record<string, string>;
  /** The body as received (parsed when it is JSON, which the receiver requires). */
  payload: unknown;
}

interface ReceiptRow {
  id: string;
  webhook_id: string;
  seq: string;
  external_id: string | null;
  event_type: string;
  status: ReceiptStatus;
  attempts: number;
  next_attempt_at: Date | string;
  matched_projects: string;
  outcomes: string;
  last_error: string | null;
  received_at: Date | string;
  processed_at: Date | string | null;
  headers: string;
  body: string;
}

const RECEIPT_FIELDS = [
  "id",
  "webhook_id",
  "external_id",
  "event_type",
  "status",
  "attempts",
  "next_attempt_at",
  "matched_projects",
  "outcomes",
  "last_error",
  "received_at",
  "processed_at",
  "headers",
  "body",
];
/** The columns a {@link ReceiptRow} needs, of the table aliased `a`. */
const receiptColumns = (a: string) =>
  `${a}.seq::text AS seq, ${RECEIPT_FIELDS.map((f) => `${a}.${f}`).join(", ")}`;
const RECEIPT_COLUMNS = receiptColumns("webhook_receipts");

function toReceipt(r: ReceiptRow): Receipt {
  let payload: unknown = null;
  try {
    payload = JSON.parse(r.body);
  } catch {
    payload = r.body;
  }
  return {
    id: r.id,
    seq: Number(r.seq),
    external_id: r.external_id,
    event_type: r.event_type,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === "pending" ? iso(r.next_attempt_at) : null,
    matched_projects: JSON.parse(r.matched_projects) as string[],
    outcomes: JSON.parse(r.outcomes) as RuleOutcome[],
    last_error: r.last_error,
    received_at: iso(r.received_at),
    processed_at: r.processed_at ? iso(r.processed_at) : null,
    headers: JSON.parse(r.headers) as Record<string, string>,
    payload,
  };
}

/**
 * Stores a received delivery; with an external id already stored for the webhook, stores nothing
 * and returns the earlier one with `duplicate: true` (a sender's redelivery is acknowledged, not rerun).
 */
export async function insertReceipt(
  sql: Sql,
  r: {
    id: string;
    webhookId: string;
    externalId: string | null;
    eventType: string;
    headers: string;
    body: string;
  },
): Promise<{ id: string; duplicate: boolean }> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO webhook_receipts (id, webhook_id, external_id, event_type, headers, body)
    VALUES (${r.id}, ${r.webhookId}, ${r.externalId}, ${r.eventType}, ${r.headers}, ${r.body})
    ON CONFLICT (webhook_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
    RETURNING id`;
  if (row) return { id: row.id, duplicate: false };
  const [earlier] = await sql<{ id: string }[]>`
    SELECT id FROM webhook_receipts WHERE webhook_id = ${r.webhookId} AND external_id = ${r.externalId}`;
  return { id: earlier?.id ?? "", duplicate: true };
}

/** A webhook's deliveries newest first, before `before` (a seq); limit + 1 rows. */
export async function listReceipts(
  sql: Sql,
  webhookId: string,
  page: { before: number | null; limit: number; status?: ReceiptStatus },
): Promise<Receipt[]> {
  const rows = await sql<ReceiptRow[]>`
    SELECT ${sql.unsafe(RECEIPT_COLUMNS)} FROM webhook_receipts
    WHERE webhook_id = ${webhookId}
      AND (${page.before}::bigint IS NULL OR seq < ${page.before}::bigint)
      AND (${page.status ?? null}::text IS NULL OR status = ${page.status ?? null}::text)
    ORDER BY webhook_receipts.seq DESC LIMIT ${page.limit + 1}`;
  return rows.map(toReceipt);
}

/** One delivery of a webhook; 404 otherwise. */
export async function getReceipt(sql: Sql, webhookId: string, id: string): Promise<Receipt> {
  const [row] = await sql<ReceiptRow[]>`
    SELECT ${sql.unsafe(RECEIPT_COLUMNS)} FROM webhook_receipts WHERE webhook_id = ${webhookId} AND id = ${id}`;
  if (!row) throw new DomainError("NOT_FOUND", `No delivery '${id}' of this webhook.`);
  return toReceipt(row);
}

/**
 * Makes a finished delivery pending again, due now, with its outcomes cleared (every rule runs
 * again on the stored body); null when it is still pending.
 */
export async function replayReceipt(sql: Sql, webhookId: string, id: string): Promise<Receipt | null> {
  const [row] = await sql<ReceiptRow[]>`
    UPDATE webhook_receipts SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL,
      outcomes = '[]', matched_projects = '[]', last_error = NULL, processed_at = NULL
    WHERE webhook_id = ${webhookId} AND id = ${id} AND status <> 'pending'
    RETURNING ${sql.unsafe(RECEIPT_COLUMNS)}`;
  if (row) return toReceipt(row);
  await getReceipt(sql, webhookId, id);
  return null;
}

/** A claimed delivery with what processing it needs. */
export interface ClaimedReceipt extends Receipt {
  webhook_id: string;
  body: string;
}

/**
 * Claims up to `limit` due deliveries (or the ones named by `ids`) with a lease of `leaseSeconds`;
 * a crashed processor's claims come back when the lease ends.
 */
export async function claimReceipts(
  sql: Sql,
  opts: { limit: number; leaseSeconds: number; ids?: readonly string[] },
): Promise<ClaimedReceipt[]> {
  const ids = opts.ids ? JSON.stringify(opts.ids) : null;
  const rows = await sql<ReceiptRow[]>`
    UPDATE webhook_receipts r SET attempts = r.attempts + 1,
      locked_until = now() + make_interval(secs => ${opts.leaseSeconds})
    WHERE r.id IN (
      SELECT h.id FROM webhook_receipts h
      WHERE h.status = 'pending' AND h.next_attempt_at <= now()
        AND (h.locked_until IS NULL OR h.locked_until < now())
        AND (${ids}::text IS NULL OR h.id IN (SELECT jsonb_array_elements_text(${ids}::text::jsonb)))
      ORDER BY h.seq LIMIT ${opts.limit}
      FOR UPDATE OF h SKIP LOCKED)
    RETURNING ${sql.unsafe(receiptColumns("r"))}`;
  return rows.map((r) => ({ ...toReceipt(r), webhook_id: r.webhook_id, body: r.body }));
}

/** Records a processing attempt's result. */
export async function finishReceipt(
  sql: Sql,
  id: string,
  result: {
    status: ReceiptStatus;
    matchedProjects: string[];
    outcomes: RuleOutcome[];
    error: string | null;
    retryInSeconds: number;
  },
): Promise<void> {
  await sql`
    UPDATE webhook_receipts SET status = ${result.status}, matched_projects = ${JSON.stringify(result.matchedProjects)},
      outcomes = ${JSON.stringify(result.outcomes)}, last_error = ${result.error?.slice(0, 2048) ?? null},
      locked_until = NULL,
      next_attempt_at = now() + make_interval(secs => ${result.retryInSeconds}),
      processed_at = CASE WHEN ${result.status} = 'pending' THEN NULL ELSE now() END
    WHERE id = ${id}`;
}

/** Deletes finished deliveries older than `days` (the analytics record keeps their history). */
export async function pruneReceipts(sql: Sql, days: number): Promise<number> {
  const rows = await sql`
    DELETE FROM webhook_receipts
    WHERE status <> 'pending' AND received_at < now() - make_interval(days => ${days}) RETURNING 1`;
  return rows.length;
}
