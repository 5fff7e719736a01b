import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getServiceAccount } from "../../../lib/identity/service_account_verbs.ts";
import { AccountParamSchema, ServiceAccountDetailSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getServiceAccount",
  method: "get",
  path: "/service-accounts/{slug}",
  tags: ["service-accounts"],
  summary: "Get a service account",
  description:
    "The account with its organizations and the role in each. Needs service_account:read globally.",
  ...verbAccess(getServiceAccount),
  request: { params: AccountParamSchema },
  responses: {
    200: {
      description: "The service account",
      content: { "application/json": { schema: ServiceAccountDetailSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await withEtag(c, await getServiceAccount(ctxOf(c), c.req.valid("param"))), 200);
};
