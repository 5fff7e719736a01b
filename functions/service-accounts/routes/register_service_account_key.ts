import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { registerServiceAccountKey } from "../../../lib/identity/service_account_verbs.ts";
import { AccountParamSchema, RegisterKeySchema, ServiceAccountKeySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "registerServiceAccountKey",
  method: "post",
  path: "/service-accounts/{slug}/keys",
  tags: ["service-accounts"],
  summary: "Register a public key (private_key_jwt)",
  description:
    "A public JWK, Ed25519 (EdDSA) or P-256 (ES256), for authenticating at POST /api/auth/token with a signed " +
    "assertion (RFC 7523). Private keys, other key types, curves and algorithms are refused (400); a key registered " +
    "already is a 409. The kid is the key's RFC 7638 thumbprint. Needs service_account:update globally.",
  ...verbAccess(registerServiceAccountKey),
  request: {
    params: AccountParamSchema,
    body: {
      description: "Name and public JWK",
      required: true,
      content: { "application/json": { schema: RegisterKeySchema } },
    },
  },
  responses: {
    201: { description: "Registered", content: { "application/json": { schema: ServiceAccountKeySchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const key = await registerServiceAccountKey(ctxOf(c), {
    ...c.req.valid("json"),
    slug: c.req.valid("param").slug,
  });
  c.header("Location", locationOf(c, "service-accounts", key.service_account, "keys", key.kid));
  return c.json(key, 201);
};
