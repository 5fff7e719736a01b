import { z } from "@hono/zod-openapi";

export const LivenessSchema = z
  .object({
    status: z.literal("ok").openapi({ description: "Always `ok` when the process answers", example: "ok" }),
    version: z.string().openapi({ description: "Imbi API version", example: "0.1.0" }),
  })
  .openapi("Liveness");

export const StoreCheckSchema = z
  .object({
    name: z
      .enum(["postgres", "analytics", "kv"])
      .openapi({ description: "Which store", example: "postgres" }),
    kind: z.string().openapi({ description: "Which adapter serves it", example: "clickhouse" }),
    ok: z.boolean().openapi({ description: "Whether it answered", example: true }),
    latency_ms: z.number().nullable().openapi({ description: "Round-trip time of the check", example: 1.7 }),
    error: z
      .string()
      .optional()
      .openapi({ description: "Why the check failed", example: "connect ECONNREFUSED" }),
  })
  .openapi("StoreCheck");

export const ReadinessSchema = z
  .object({
    status: z
      .enum(["ok", "degraded"])
      .openapi({ description: "`degraded` when any store is down", example: "ok" }),
    version: z.string().openapi({ description: "Imbi API version", example: "0.1.0" }),
    checks: z.array(StoreCheckSchema).openapi({ description: "One entry per store" }),
    score_queue: z
      .object({
        kind: z
          .enum(["cloudflare", "redis", "memory"])
          .openapi({ description: "The score queue adapter (docs/scoring-guide.md)", example: "redis" }),
        waiting: z.number().int().nullable().openapi({
          description:
            "Score requests queued, delayed or in flight; null when the adapter cannot tell (Cloudflare)",
          example: 12,
        }),
        dead_letters: z.number().int().nullable().openapi({
          description: "Requests that exhausted their deliveries; null when unknown",
          example: 0,
        }),
      })
      .openapi({ description: "Score recomputation backlog (informational: it does not affect `status`)" }),
  })
  .openapi("Readiness");
