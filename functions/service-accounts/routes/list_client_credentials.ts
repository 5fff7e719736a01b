import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listClientCredentials } from "../../../lib/identity/service_account_verbs.ts";
import { AccountParamSchema, ClientCredentialListSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listClientCredentials",
  method: "get",
  path: "/service-accounts/{slug}/client-credentials",
  tags: ["service-accounts"],
  summary: "List a service account's client credentials",
  description: "Revoked ones too (with revoked_at); never the secrets. Needs service_account:read globally.",
  ...verbAccess(listClientCredentials),
  request: { params: AccountParamSchema },
  responses: {
    200: {
      description: "The credentials",
      content: { "application/json": { schema: ClientCredentialListSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await listClientCredentials(ctxOf(c), c.req.valid("param")), 200);
};
