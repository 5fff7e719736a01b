// Pieces every score-queue adapter shares, so the three behave the same (DESIGN.md §8).
import { nanoid } from "nanoid";
import type { MessageOutcome, ScoreMessage, ScoreRequest } from "./types.ts";

/** Trailing debounce window per project; 0 disables debouncing. */
export const DEFAULT_DEBOUNCE_MS = 5_000;
/** Messages handed to the handler at once (the reference's `XREADGROUP COUNT 16`). */
export const DEFAULT_BATCH_SIZE = 16;
/** Deliveries before a message is dead-lettered (the reference's 5). */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** First retry delay; it doubles per delivery up to {@link MAX_RETRY_DELAY_MS}. */
export const DEFAULT_RETRY_DELAY_MS = 500;
export const MAX_RETRY_DELAY_MS = 30_000;

/** A message that failed `maxAttempts` deliveries, as the dead-letter store keeps it. */
export interface DeadLetter extends ScoreMessage {
  /** ISO time it was moved to the dead-letter store. */
  dead_lettered_at: string;
}

/** The message id: unique per enqueued message, kept across redeliveries. */
export const newMessageId = (): string => nanoid();

/** Delay before redelivering a message that failed its `attempts`-th delivery. */
export function retryDelayMs(attempts: number, baseMs = DEFAULT_RETRY_DELAY_MS): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), Math.max(baseMs, MAX_RETRY_DELAY_MS));
}

/** What the handler decided for `id`; a missing id counts as retry. */
export function outcomeOf(outcomes: Map<string, MessageOutcome> | undefined, id: string): MessageOutcome {
  return outcomes?.get(id) === "ack" ? "ack" : "retry";
}

/**
 * One request per project, the first one winning: a recompute reads the project's latest state,
 * so duplicates inside one call would only repeat the same work.
 */
export function uniqueRequests(requests: readonly ScoreRequest[]): ScoreRequest[] {
  const seen = new Set<string>();
  const unique: ScoreRequest[] = [];
  for (const r of requests) {
    if (seen.has(r.project_id)) continue;
    seen.add(r.project_id);
    unique.push(r);
  }
  return unique;
}

/** Rejects option values that would silently misbehave (negative windows, zero batches). */
export function checkQueueOptions(opts: {
  debounceMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
}): void {
  const nonNegative = { debounceMs: opts.debounceMs, retryDelayMs: opts.retryDelayMs };
  for (const [name, v] of Object.entries(nonNegative)) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
      throw new RangeError(`score queue: ${name} must be a non-negative number, got ${v}`);
    }
  }
  const positive = { batchSize: opts.batchSize, maxAttempts: opts.maxAttempts };
  for (const [name, v] of Object.entries(positive)) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) {
      throw new RangeError(`score queue: ${name} must be a positive integer, got ${v}`);
    }
  }
}
