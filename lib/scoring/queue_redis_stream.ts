// The wire side of the Redis Streams score queue: the stream commands the consumer uses and the
// entry format. Entry fields: id, project_id, reason, requested_by, requested_at (ISO) and
// not_before (epoch ms); dead letters add attempts and dead_lettered_at.
import type { Redis } from "@upstash/redis/cloudflare";
import type { DeadLetter } from "./queue_common.ts";
import type { ScoreMessage, ScoreReason } from "./types.ts";

/** A stream, its consumer group, and the client that reaches them. */
export interface StreamRef {
  redis: Redis;
  key: string;
  group: string;
}

/** A stream entry: its stream id and its fields. */
export interface StreamEntry {
  streamId: string;
  fields: Record<string, string>;
}

/**
 * Creates the group (and the stream) unless it exists. Id "0", not "$": messages enqueued before
 * the first consumer ever started must still be delivered.
 */
export async function createGroup(s: StreamRef): Promise<void> {
  try {
    await s.redis.xgroup(s.key, { type: "CREATE", group: s.group, id: "0", options: { MKSTREAM: true } });
  } catch (err) {
    if (!/BUSYGROUP/.test(String(err))) throw err;
  }
}

/** XAUTOCLAIM: takes over up to `count` entries idle ≥ `minIdleMs`, scanning the PEL from `cursor`. */
export async function autoclaim(
  s: StreamRef,
  consumer: string,
  minIdleMs: number,
  cursor: string,
  count: number,
) {
  const [next, entries, deleted] = await s.redis.xautoclaim(s.key, s.group, consumer, minIdleMs, cursor, {
    count,
  });
  return {
    next: String(next),
    entries: toEntries(entries),
    // Redis 7 names the ids it dropped from the PEL because their entries were deleted.
    deleted: Array.isArray(deleted) ? deleted.map(String) : [],
  };
}

/** XREADGROUP ">" without BLOCK (the REST bridge must never park a connection). */
export async function readNew(s: StreamRef, consumer: string, count: number): Promise<StreamEntry[]> {
  const reply = await s.redis.xreadgroup(s.group, consumer, s.key, ">", { count });
  const stream = Array.isArray(reply) ? reply[0] : undefined;
  return Array.isArray(stream) ? toEntries(stream[1]) : [];
}

/** XPENDING's extended form per id, pipelined: who holds each message, delivered how often. */
export async function pendingOf(s: StreamRef, ids: string[]) {
  const found = new Map<string, { consumer: string; deliveries: number }>();
  if (ids.length === 0) return found;
  const p = s.redis.pipeline();
  for (const id of ids) p.xpending(s.key, s.group, id, id, 1);
  for (const reply of await p.exec<unknown[]>()) {
    const row = Array.isArray(reply) ? reply[0] : undefined;
    if (Array.isArray(row))
      found.set(String(row[0]), { consumer: String(row[1]), deliveries: Number(row[3]) });
  }
  return found;
}

/**
 * Removes `consumer` from the group if it holds no pending messages. Every process start adds a
 * consumer name; without this the group's consumer list would only ever grow.
 */
export async function dropConsumerIfIdle(s: StreamRef, consumer: string): Promise<void> {
  const rows = await s.redis.xpending(s.key, s.group, "-", "+", 1, { consumer });
  if (Array.isArray(rows) && rows.length === 0) {
    await s.redis.xgroup(s.key, { type: "DELCONSUMER", group: s.group, consumer });
  }
}

/** Parses the entry list of XRANGE, XAUTOCLAIM or one XREADGROUP stream; skips deleted entries. */
export function toEntries(raw: unknown): StreamEntry[] {
  if (!Array.isArray(raw)) return [];
  const entries: StreamEntry[] = [];
  for (const item of raw) {
    if (!Array.isArray(item) || !Array.isArray(item[1])) continue;
    const flat = item[1] as unknown[];
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1]);
    entries.push({ streamId: String(item[0]), fields });
  }
  return entries;
}

/** The message an entry carries, or undefined when it lacks what a recompute needs. */
export function parseMessage(entry: StreamEntry, attempts: number): ScoreMessage | undefined {
  const f = entry.fields;
  if (!f.project_id || !f.reason) return undefined;
  return {
    id: f.id || entry.streamId,
    project_id: f.project_id,
    reason: f.reason as ScoreReason,
    requested_by: f.requested_by ?? "",
    requested_at: f.requested_at ?? new Date(Number(entry.streamId.split("-")[0])).toISOString(),
    attempts,
  };
}

/** The fields of a dead-letter entry: the original ones, the deliveries, and when. */
export function deadFields(
  fields: Record<string, string>,
  attempts: number,
  now: number,
): Record<string, string> {
  return { ...fields, attempts: String(attempts), dead_lettered_at: new Date(now).toISOString() };
}

/** A DLQ entry as a {@link DeadLetter}; malformed originals come back with empty fields. */
export function parseDeadLetter(entry: StreamEntry): DeadLetter {
  const f = entry.fields;
  const attempts = Number(f.attempts) || 0;
  const msg = parseMessage(entry, attempts) ?? {
    id: f.id || entry.streamId,
    project_id: f.project_id ?? "",
    reason: (f.reason ?? "") as ScoreReason,
    requested_by: f.requested_by ?? "",
    requested_at: f.requested_at ?? "",
    attempts,
  };
  return { ...msg, dead_lettered_at: f.dead_lettered_at ?? "" };
}
