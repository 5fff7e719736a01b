import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createServiceAccount } from "../../../lib/identity/service_account_verbs.ts";
import { CreateServiceAccountSchema, ServiceAccountDetailSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createServiceAccount",
  method: "post",
  path: "/service-accounts",
  tags: ["service-accounts"],
  summary: "Create a service account",
  description:
    "A machine identity: no password, never an administrator, never logs in. Give it organization memberships, " +
    "then client credentials or public keys to get tokens at POST /api/auth/token. Needs service_account:create globally.",
  ...verbAccess(createServiceAccount),
  request: {
    body: {
      description: "The new account",
      required: true,
      content: { "application/json": { schema: CreateServiceAccountSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ServiceAccountDetailSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const account = await createServiceAccount(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "service-accounts", account.slug));
  return c.json(await withEtag(c, account), 201);
};
