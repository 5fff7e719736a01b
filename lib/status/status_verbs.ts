import type { Ctx } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import { attempt } from "../result.ts";
import { VERSION } from "../version.ts";

// Readiness: whether every store answers, for load balancers and operators. Public on purpose — it
// says which store is down and how large the score backlog is, never any catalog data.

/** One store's answer. */
export interface StoreCheck {
  name: "postgres" | "analytics" | "kv";
  kind: string;
  ok: boolean;
  latency_ms: number | null;
  error?: string;
}

/** The readiness report; `status` is `degraded` when any store is down. */
export interface Readiness {
  status: "ok" | "degraded";
  version: string;
  checks: StoreCheck[];
  score_queue: {
    kind: "cloudflare" | "redis" | "memory";
    waiting: number | null;
    dead_letters: number | null;
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

async function postgres(ctx: Ctx): Promise<StoreCheck> {
  const t = performance.now();
  const r = await attempt(() => ctx.services.sql`SELECT 1`);
  return r.err
    ? { name: "postgres", kind: "postgres", ok: false, latency_ms: null, error: r.err.message }
    : { name: "postgres", kind: "postgres", ok: true, latency_ms: round(performance.now() - t) };
}

async function viaPing(
  name: "analytics" | "kv",
  kind: string,
  ping: () => Promise<{ val?: { latencyMs: number }; err?: Error }>,
): Promise<StoreCheck> {
  const r = await ping();
  return r.err || !r.val
    ? { name, kind, ok: false, latency_ms: null, error: r.err?.message ?? "no answer" }
    : { name, kind, ok: true, latency_ms: round(r.val.latencyMs) };
}

/**
 * Checks Postgres, the analytics store and the key-value store, and reports the score queue's
 * backlog (informational: a backlog does not make the API unready).
 */
export const getReadiness = defineVerb({
  name: "getReadiness",
  access: { scope: "public" },
  async run(ctx, _input: Record<string, never>): Promise<Readiness> {
    const { analytics, kv, scores } = ctx.services;
    const [checks, queue] = await Promise.all([
      Promise.all([
        postgres(ctx),
        viaPing("analytics", analytics.kind, () => analytics.ping()),
        viaPing("kv", kv.kind, () => kv.ping()),
      ]),
      // Redis itself is the kv check; the queue's statistics are extra information.
      attempt(async () => (scores.stats ? await scores.stats() : null)),
    ]);
    const stats = queue.err ? null : queue.val;
    return {
      status: checks.every((x) => x.ok) ? "ok" : "degraded",
      version: VERSION,
      checks,
      score_queue: {
        kind: scores.kind,
        waiting: stats?.waiting ?? null,
        dead_letters: stats?.dead_letters ?? null,
      },
    };
  },
});
