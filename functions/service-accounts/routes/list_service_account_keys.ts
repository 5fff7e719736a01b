import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listServiceAccountKeys } from "../../../lib/identity/service_account_verbs.ts";
import { AccountParamSchema, ServiceAccountKeyListSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listServiceAccountKeys",
  method: "get",
  path: "/service-accounts/{slug}/keys",
  tags: ["service-accounts"],
  summary: "List a service account's public keys",
  description:
    "The keys registered for private_key_jwt, revoked ones too. Needs service_account:read globally.",
  ...verbAccess(listServiceAccountKeys),
  request: { params: AccountParamSchema },
  responses: {
    200: {
      description: "The keys",
      content: { "application/json": { schema: ServiceAccountKeyListSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await listServiceAccountKeys(ctxOf(c), c.req.valid("param")), 200);
};
