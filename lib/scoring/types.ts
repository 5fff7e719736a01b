// Shared types of the scoring feature (DESIGN.md §8): what producers enqueue, what consumers
// receive, and what the engine scores. Adapters and the engine live in sibling modules.

/** Why a project is rescored; stored on the history row as `change_reason`. */
export const SCORE_REASONS = [
  "project_change",
  "environment_change",
  "dependency_change",
  "blueprint_change",
  "policy_change",
  "bulk_rescore",
  "scheduled_recompute",
  // A deployment started, changed status or finished (deployment_status policies read it).
  "deployment_status_change",
] as const;
export type ScoreReason = (typeof SCORE_REASONS)[number];

/** One recomputation request, as a producer enqueues it. */
export interface ScoreRequest {
  project_id: string;
  reason: ScoreReason;
  /** Principal email, `system` for timers. */
  requested_by: string;
}

/** A request as the queue delivers it. */
export interface ScoreMessage extends ScoreRequest {
  /** Unique per enqueued message (a redelivery carries the same id). */
  id: string;
  /** ISO time the message was enqueued. */
  requested_at: string;
  /** How many times this message has been delivered, this delivery included (1 on the first). */
  attempts: number;
}

/** What the consumer decided for one message of a batch. */
export type MessageOutcome = "ack" | "retry";

/** Processes a batch; returns an outcome per message id (a missing id counts as retry). */
export type ScoreHandler = (batch: ScoreMessage[]) => Promise<Map<string, MessageOutcome>>;

/** What one enqueue call did. */
export interface EnqueueResult {
  /** Messages added to the queue. */
  enqueued: number;
  /** Requests dropped because a message for the same project is already waiting (debounce). */
  debounced: number;
}

/**
 * The producer side of the score-recomputation queue (Cloudflare Queues, Redis Streams or
 * in-process). Debounce is trailing: the first request for a project within the debounce window
 * enqueues a message that is delivered no earlier than the end of the window, and later requests
 * in the window are dropped — the delayed message reads the project's state after all of them.
 */
export interface ScoreQueue {
  readonly kind: "cloudflare" | "redis" | "memory";
  /** Enqueues requests (any number; adapters batch and pipeline). Throws when the queue is unreachable. */
  enqueue(requests: ScoreRequest[]): Promise<EnqueueResult>;
  /** How much is waiting and dead-lettered, where the adapter can tell (not on Cloudflare Queues). */
  stats?(): Promise<QueueStats>;
}

/** A queue's backlog, for the status route. */
export interface QueueStats {
  /** Messages queued, delayed or in flight (not yet acked). */
  waiting: number;
  /** Messages that exhausted their deliveries. */
  dead_letters: number;
}

/** A consumer loop (Redis Streams and in-process; on Workers the runtime is the loop). */
export interface ScoreConsumer {
  /** Starts pulling batches and handing them to `handler`. */
  start(handler: ScoreHandler): void;
  /** Stops pulling, waits for the batch in hand to finish (its messages are acked or left pending). */
  stop(): Promise<void>;
}
