import { createRoute } from "@hono/zod-openapi";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { VERSION } from "../../../lib/version.ts";
import { LivenessSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getLiveness",
  method: "get",
  path: "/status",
  tags: ["status"],
  summary: "Liveness: the process is up",
  description: "Answers without touching any store; for load balancers and orchestrators.",
  security: [],
  "x-imbi-permission": [],
  responses: {
    200: { description: "Alive", content: { "application/json": { schema: LivenessSchema } } },
  },
});

export const handler: AppRouteHandler<typeof route> = (c) =>
  c.json({ status: "ok" as const, version: VERSION }, 200);
