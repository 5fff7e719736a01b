import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { rotateServiceAccountApiKey } from "../../../lib/identity/api_key_verbs.ts";
import { AccountKeyParamSchema, ApiKeyWithSecretSchema, RotateApiKeySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "rotateServiceAccountApiKey",
  method: "post",
  path: "/service-accounts/{slug}/api-keys/{key_id}/rotate",
  tags: ["api-keys"],
  summary: "Rotate one of a service account's API keys",
  description:
    "Gives the key a new secret under the same id, settings and expiry; the answer holds the new key, shown only now. The previous secret stops at once, or after `grace_seconds` (at most a day) to roll the new one out. A revoked or expired key cannot be rotated (409). Needs service_account:update globally (an administrator, or a role in the system organization); an unknown account is a 404.",
  ...verbAccess(rotateServiceAccountApiKey),
  request: {
    params: AccountKeyParamSchema,
    body: {
      description: "Rotation options",
      required: false,
      content: { "application/json": { schema: RotateApiKeySchema } },
    },
  },
  responses: {
    200: {
      description: "The key with its new secret",
      content: { "application/json": { schema: ApiKeyWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const key = await rotateServiceAccountApiKey(ctxOf(c), {
    ...c.req.valid("param"),
    // No body (or an empty one) rotates without grace.
    ...(c.req.valid("json") ?? {}),
  });
  c.header("Cache-Control", "no-store");
  return c.json(key, 200);
};
