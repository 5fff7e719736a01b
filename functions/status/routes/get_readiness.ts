import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getReadiness } from "../../../lib/status/status_verbs.ts";
import { ReadinessSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getReadiness",
  method: "get",
  path: "/status",
  tags: ["status"],
  summary: "Readiness: every store answers",
  description:
    "Checks Postgres, the analytics store and the key-value store (503 when one is down), and reports the " +
    "score queue's backlog and dead letters (informational).",
  ...verbAccess(getReadiness),
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: ReadinessSchema } } },
    503: { description: "A store is down", content: { "application/json": { schema: ReadinessSchema } } },
    500: openApiErrorResponses[500],
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const readiness = await getReadiness(ctxOf(c), {});
  return readiness.status === "ok" ? c.json(readiness, 200) : c.json(readiness, 503);
};
