import type { Result } from "../result.ts";

/** Options for {@link Kv.set}. */
export interface KvSetOptions {
  /** Expire the key after this many seconds (fractions allowed; must be > 0). */
  ttlSeconds?: number;
  /** Only write when the key does not exist yet (SET NX); `set` then returns false if it did. */
  onlyIfAbsent?: boolean;
}

/** Outcome of one {@link Kv.incrWindow} hit. */
export interface KvWindowHit {
  /** Hits in the current window, this one included (1 on the first hit). */
  count: number;
  /** Milliseconds until the window's counter expires and counting restarts at 1. */
  resetMs: number;
}

/**
 * The small key/value surface Imbi needs from Redis (rate limits, token denylist, short caches,
 * score debounce). Values are JSON; keys are namespaced by the adapter's prefix, so callers never
 * see or pass it. Methods other than `ping` throw when the store is unreachable: callers that can
 * degrade (rate limits, caches) catch and decide.
 */
export interface Kv {
  /** Which adapter this is, for logs and the status route. */
  readonly kind: "upstash" | "memory";
  /** The JSON value stored at `key`, or null when absent or expired. */
  get<T = unknown>(key: string): Promise<T | null>;
  /** Stores `value` as JSON. Returns false only when `onlyIfAbsent` is set and the key existed. */
  set(key: string, value: unknown, opts?: KvSetOptions): Promise<boolean>;
  /** Deletes keys and returns how many existed. */
  del(...keys: string[]): Promise<number>;
  /** Whether `key` exists (and has not expired). */
  exists(key: string): Promise<boolean>;
  /**
   * Atomic fixed-window counter: increments `key` and gives it a `windowSeconds` expiry on the
   * first hit of a window. Concurrent callers always see distinct, gap-free counts.
   */
  incrWindow(key: string, windowSeconds: number): Promise<KvWindowHit>;
  /** Round-trips to the store; never throws. */
  ping(): Promise<Result<{ latencyMs: number }>>;
}

/** The namespace every key gets unless an adapter is given another one. */
export const DEFAULT_KV_PREFIX = "imbi:";

/** Serializes a value the same way in every adapter, so both stores hold identical bytes. */
export function encodeValue(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify(undefined) is undefined: storing "nothing" is almost certainly a bug upstream.
  if (json === undefined) throw new TypeError("kv: value is not JSON-serializable");
  return json;
}

/**
 * Parses a stored value. Values not written by us (or plain INCR counters) may not be JSON;
 * those come back as the raw string rather than failing the read.
 */
export function decodeValue<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return raw as T;
  }
}

/** Rejects TTLs and windows Redis would refuse or misread (0, negative, NaN). */
export function assertPositiveSeconds(name: string, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`kv: ${name} must be a positive number of seconds, got ${seconds}`);
  }
}
