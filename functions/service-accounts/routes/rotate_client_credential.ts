import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { rotateClientCredential } from "../../../lib/identity/service_account_verbs.ts";
import { ClientCredentialParamSchema, ClientCredentialWithSecretSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "rotateClientCredential",
  method: "post",
  path: "/service-accounts/{slug}/client-credentials/{client_id}/rotate",
  tags: ["service-accounts"],
  summary: "Rotate a client credential's secret",
  description:
    "Same client id, new secret (in this answer only). The old secret, and tokens issued before the rotation, stop " +
    "working at once — no grace period: rotate after a leak, and deploy the new secret before calling this otherwise. " +
    "Needs service_account:update globally.",
  ...verbAccess(rotateClientCredential),
  request: { params: ClientCredentialParamSchema },
  responses: {
    200: {
      description: "Rotated; store client_secret now",
      content: { "application/json": { schema: ClientCredentialWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const p = c.req.valid("param");
  const rotated = await rotateClientCredential(ctxOf(c), { slug: p.slug, clientId: p.client_id });
  c.header("Cache-Control", "no-store");
  return c.json(rotated, 200);
};
