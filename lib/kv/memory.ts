import { ok } from "../result.ts";
import {
  assertPositiveSeconds,
  DEFAULT_KV_PREFIX,
  decodeValue,
  encodeValue,
  type Kv,
  type KvSetOptions,
  type KvWindowHit,
} from "./types.ts";

/** Options for {@link createMemoryKv}. */
export interface MemoryKvOptions {
  /** Key namespace; defaults to `imbi:`. */
  prefix?: string;
  /** Clock in epoch milliseconds; tests inject one to expire keys without sleeping. */
  now?: () => number;
  /** How often expired entries are swept; 0 disables the timer (reads still expire lazily). */
  sweepIntervalMs?: number;
}

/** The in-process adapter, plus `close()` to stop its sweep timer. */
export interface MemoryKv extends Kv {
  readonly kind: "memory";
  /** Stops the sweep timer and drops every entry. */
  close(): void;
}

interface Entry {
  /** Encoded exactly as the Redis adapter stores it, so reads return fresh copies. */
  raw: string;
  /** Epoch ms after which the entry is gone; undefined = no expiry. */
  expiresAt?: number;
}

/**
 * An in-process {@link Kv} for the embedded default and for tests: the same semantics as the
 * Redis adapter (JSON values, TTLs, fixed windows), state confined to this instance. Being
 * single-threaded JavaScript, every method is trivially atomic.
 */
export function createMemoryKv(opts: MemoryKvOptions = {}): MemoryKv {
  const prefix = opts.prefix ?? DEFAULT_KV_PREFIX;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweep = () => {
    const t = now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= t) entries.delete(key);
    }
  };

  // Lazy expiry alone would leak keys that are written once and never read again (one rate-limit
  // window per client IP), so sweep periodically too. unref() keeps the timer from holding the
  // Node process open; Workers' timers have no unref and die with the isolate anyway.
  const interval = opts.sweepIntervalMs ?? 30_000;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (interval > 0) {
    timer = setInterval(sweep, interval);
    (timer as { unref?: () => void }).unref?.();
  }

  return {
    kind: "memory",

    async get<T = unknown>(key: string): Promise<T | null> {
      return decodeValue<T>(live(prefix + key)?.raw ?? null);
    },

    async set(key: string, value: unknown, setOpts: KvSetOptions = {}): Promise<boolean> {
      const raw = encodeValue(value);
      if (setOpts.ttlSeconds !== undefined) assertPositiveSeconds("ttlSeconds", setOpts.ttlSeconds);
      const k = prefix + key;
      if (setOpts.onlyIfAbsent && live(k)) return false;
      const expiresAt =
        setOpts.ttlSeconds === undefined ? undefined : now() + Math.round(setOpts.ttlSeconds * 1000);
      entries.set(k, { raw, expiresAt });
      return true;
    },

    async del(...keys: string[]): Promise<number> {
      let n = 0;
      for (const key of new Set(keys)) {
        if (live(prefix + key)) {
          entries.delete(prefix + key);
          n++;
        }
      }
      return n;
    },

    async exists(key: string): Promise<boolean> {
      return live(prefix + key) !== undefined;
    },

    async incrWindow(key: string, windowSeconds: number): Promise<KvWindowHit> {
      assertPositiveSeconds("windowSeconds", windowSeconds);
      const k = prefix + key;
      const t = now();
      const entry = live(k);
      if (!entry) {
        const expiresAt = t + Math.round(windowSeconds * 1000);
        entries.set(k, { raw: "1", expiresAt });
        return { count: 1, resetMs: expiresAt - t };
      }
      const current = Number(entry.raw);
      // Mirror Redis: INCR on a non-integer value is an error, not a silent reset.
      if (!Number.isSafeInteger(current)) throw new Error("ERR value is not an integer or out of range");
      entry.raw = String(current + 1);
      // A key without expiry (written by set()) would otherwise count forever; give it a window.
      entry.expiresAt ??= t + Math.round(windowSeconds * 1000);
      return { count: current + 1, resetMs: entry.expiresAt - t };
    },

    async ping() {
      return ok({ latencyMs: 0 });
    },

    close() {
      if (timer !== undefined) clearInterval(timer);
      entries.clear();
    },
  };
}
