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
  // Public and stateless: no verb (nothing to authorize or read), so the stamp is spelled out.
  security: [],
  "x-imbi-permission": [],
  "x-imbi-access": "public",
  responses: {
    200: { description: "Alive", content: { "application/json": { schema: LivenessSchema } } },
  },
});

export const handler: AppRouteHandler<typeof route> = (c) =>
  c.json({ status: "ok" as const, version: VERSION }, 200);
