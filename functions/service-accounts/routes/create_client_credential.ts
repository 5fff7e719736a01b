import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { createClientCredential } from "../../../lib/identity/service_account_verbs.ts";
import {
  AccountParamSchema,
  ClientCredentialWithSecretSchema,
  CreateClientCredentialSchema,
} from "../schemas.ts";

export const route = createRoute({
  operationId: "createClientCredential",
  method: "post",
  path: "/service-accounts/{slug}/client-credentials",
  tags: ["service-accounts"],
  summary: "Create a client credential",
  description:
    "A client id and secret for POST /api/auth/token (grant_type=client_credentials). The secret is in this " +
    "answer only. Needs service_account:update globally.",
  ...verbAccess(createClientCredential),
  request: {
    params: AccountParamSchema,
    body: {
      description: "Name, scopes, organizations, lifetime",
      required: true,
      content: { "application/json": { schema: CreateClientCredentialSchema } },
    },
  },
  responses: {
    201: {
      description: "Created; store client_secret now",
      content: { "application/json": { schema: ClientCredentialWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const created = await createClientCredential(ctxOf(c), {
    ...c.req.valid("json"),
    slug: c.req.valid("param").slug,
  });
  c.header(
    "Location",
    locationOf(c, "service-accounts", created.service_account, "client-credentials", created.client_id),
  );
  c.header("Cache-Control", "no-store");
  return c.json(created, 201);
};
