import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "../../../lib/errors.ts";
import type { AppRouteHandler } from "../../../lib/openapi.ts";
import { attempt } from "../../../lib/result.ts";
import { VERSION } from "../../../lib/version.ts";
import { ReadinessSchema, type StoreCheckSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getReadiness",
  method: "get",
  path: "/status",
  tags: ["status"],
  summary: "Readiness: every store answers",
  description: "Checks Postgres, the analytics store and the key-value store; 503 when one is down.",
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
  const { sql, analytics, kv } = c.get("services");
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
  const checks = await Promise.all([
    pg(),
    viaPing("analytics", analytics.kind, () => analytics.ping()),
    viaPing("kv", kv.kind, () => kv.ping()),
  ]);
  const healthy = checks.every((x) => x.ok);
  const body = { status: healthy ? ("ok" as const) : ("degraded" as const), version: VERSION, checks };
  return healthy ? c.json(body, 200) : c.json(body, 503);
};

const round = (ms: number) => Math.round(ms * 100) / 100;
