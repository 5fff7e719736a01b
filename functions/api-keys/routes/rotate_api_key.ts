import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { rotateApiKey } from "../../../lib/identity/api_key_verbs.ts";
import { ApiKeyWithSecretSchema, KeyParamSchema, RotateApiKeySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "rotateApiKey",
  method: "post",
  path: "/api-keys/{key_id}/rotate",
  tags: ["api-keys"],
  summary: "Rotate one of your API keys",
  description:
    "Gives the key a new secret under the same id, settings and expiry; the answer holds the new key, shown only now. The previous secret stops at once, or after `grace_seconds` (at most a day) to roll the new one out. A revoked or expired key cannot be rotated (409). Your own keys only (a user's or a service account's, whichever calls); another owner's key answers 404.",
  ...verbAccess(rotateApiKey),
  request: {
    params: KeyParamSchema,
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
  const key = await rotateApiKey(ctxOf(c), {
    ...c.req.valid("param"), // No body (or an empty one) rotates without grace.
    ...(c.req.valid("json") ?? {}),
  });
  c.header("Cache-Control", "no-store");
  return c.json(key, 200);
};
