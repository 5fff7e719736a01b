import { createRoute, type z } from "@hono/zod-openapi";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { attempt } from "../../../lib/result.ts";
import { VERSION } from "../../../lib/version.ts";
import { ReadinessSchema, type StoreCheckSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getReadiness",
  method: "get",
  path: "/status",
  tags: ["status"],
  summary: "Readiness: every store answers",
  description:
    "Checks Postgres, the analytics store and the key-value store (503 when one is down), and reports the " +
    "score queue's backlog and dead letters (informational).",
  security: [],
  "x-imbi-permission": [],
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: ReadinessSchema } } },
    503: { description: "A store is down", content: { "application/json": { schema: ReadinessSchema } } },
    500: openApiErrorResponses[500],
  },
});

type Check = z.infer<typeof StoreCheckSchema>;

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { sql, analytics, kv, scores } = c.get("services");
  const pg = async (): Promise<Check> => {
    const t = performance.now();
    const r = await attempt(() => sql`SELECT 1`);
    return r.err
      ? { name: "postgres", kind: "postgres", ok: false, latency_ms: null, error: r.err.message }
      : { name: "postgres", kind: "postgres", ok: true, latency_ms: round(performance.now() - t) };
  };
  const viaPing = async (
    name: "analytics" | "kv",
    kind: string,
    ping: () => Promise<{ val?: { latencyMs: number }; err?: Error }>,
  ): Promise<Check> => {
    const r = await ping();
    return r.err || !r.val
      ? { name, kind, ok: false, latency_ms: null, error: r.err?.message ?? "no answer" }
      : { name, kind, ok: true, latency_ms: round(r.val.latencyMs) };
  };
  const [checks, queue] = await Promise.all([
    Promise.all([
      pg(),
      viaPing("analytics", analytics.kind, () => analytics.ping()),
      viaPing("kv", kv.kind, () => kv.ping()),
    ]),
    // Informational: a backlog does not make the API unready (Redis itself is the kv check).
    attempt(async () => (scores.stats ? await scores.stats() : null)),
  ]);
  const healthy = checks.every((x) => x.ok);
  const stats = queue.err ? null : queue.val;
  const score_queue = {
    kind: scores.kind,
    waiting: stats?.waiting ?? null,
    dead_letters: stats?.dead_letters ?? null,
  };
  const body = {
    status: healthy ? ("ok" as const) : ("degraded" as const),
    version: VERSION,
    checks,
    score_queue,
  };
  return healthy ? c.json(body, 200) : c.json(body, 503);
};

const round = (ms: number) => Math.round(ms * 100) / 100;
