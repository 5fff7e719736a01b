import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokeClientCredential } from "../../../lib/identity/service_account_verbs.ts";
import { ClientCredentialParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokeClientCredential",
  method: "delete",
  path: "/service-accounts/{slug}/client-credentials/{client_id}",
  tags: ["service-accounts"],
  summary: "Revoke a client credential",
  description:
    "Soft delete: the secret stops working and tokens issued with it are refused from the next request, on every " +
    "process. Needs service_account:update globally.",
  ...verbAccess(revokeClientCredential),
  request: { params: ClientCredentialParamSchema },
  responses: {
    204: { description: "Revoked" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const p = c.req.valid("param");
  await revokeClientCredential(ctxOf(c), { slug: p.slug, clientId: p.client_id });
  return c.body(null, 204);
};
