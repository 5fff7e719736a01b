// Per-project debounce keys of the score queue (DESIGN.md §8). The first request for a project
// takes the key for exactly the debounce window (SET NX PX); requests while it lives are dropped.
// Nothing ever releases a key: the delayed message reads the latest state, and a write after the
// window takes a new key.
import type { Redis } from "@upstash/redis/cloudflare";
import type { Kv } from "../kv/types.ts";

/** Takes per-project debounce keys. */
export interface Debouncer {
  /**
   * Tries to take the key of every project for `windowMs` and returns the ids whose key this call
   * took; the others are inside a window already. Throws when the store is unreachable.
   */
  claim(projectIds: string[], windowMs: number): Promise<Set<string>>;
}

/** The key of a project's debounce window, below the store's prefix. */
export const debounceKey = (projectId: string): string => `score:debounce:${projectId}`;

/** Options for {@link createKvDebouncer}. */
export interface KvDebouncerOptions {
  /** Keys set at once; the Kv makes one round trip per key. Defaults to 16. */
  concurrency?: number;
}

/**
 * A {@link Debouncer} over any {@link Kv} (one SET NX per project, `concurrency` at a time): the
 * in-process store, or Upstash for small enqueues. Bulk enqueues on Workers should use
 * {@link createUpstashDebouncer}, which needs one subrequest per 500 projects instead of one each.
 */
export function createKvDebouncer(kv: Kv, opts: KvDebouncerOptions = {}): Debouncer {
  const concurrency = Math.max(1, opts.concurrency ?? 16);
  return {
    async claim(projectIds, windowMs) {
      const ids = [...new Set(projectIds)];
      if (windowMs <= 0) return new Set(ids);
      const taken = new Set<string>();
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const ok = await kv.set(debounceKey(id), 1, { onlyIfAbsent: true, ttlSeconds: windowMs / 1000 });
          if (ok) taken.add(id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
      return taken;
    },
  };
}

/** Options for {@link createUpstashDebouncer}. */
export interface UpstashDebouncerOptions {
  /** Key namespace, the same as the Kv's; defaults to `imbi:`. */
  prefix?: string;
  /** SETs per pipeline round trip; defaults to 500. */
  chunkSize?: number;
}

/**
 * A {@link Debouncer} that pipelines the SETs through an Upstash REST client (Upstash itself or
 * the Node host's bridge): 10,000 projects cost 20 round trips. Pass a client built with
 * `automaticDeserialization: false`, as the Kv and the Redis queue do.
 */
export function createUpstashDebouncer(redis: Redis, opts: UpstashDebouncerOptions = {}): Debouncer {
  const prefix = opts.prefix ?? "imbi:";
  const chunkSize = Math.max(1, opts.chunkSize ?? 500);
  return {
    async claim(projectIds, windowMs) {
      const ids = [...new Set(projectIds)];
      if (windowMs <= 0) return new Set(ids);
      const px = Math.max(1, Math.round(windowMs));
      const taken = new Set<string>();
      for (let i = 0; i < ids.length; i += chunkSize) {
        const chunk = ids.slice(i, i + chunkSize);
        const p = redis.pipeline();
        for (const id of chunk) p.set(prefix + debounceKey(id), "1", { px, nx: true });
        const replies = await p.exec<unknown[]>();
        // SET NX answers OK when it wrote and nil when the key existed.
        chunk.forEach((id, j) => {
          if (replies[j] !== null) taken.add(id);
        });
      }
      return taken;
    },
  };
}
