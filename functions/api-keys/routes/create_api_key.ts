import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { createApiKey } from "../../../lib/identity/api_key_verbs.ts";
import { ApiKeyWithSecretSchema, CreateApiKeySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createApiKey",
  method: "post",
  path: "/api-keys",
  tags: ["api-keys"],
  summary: "Create an API key",
  description:
    "Creates an API key for yourself. The answer holds the whole key (`ik_<id>_<secret>`) — the only time it is shown. Scopes and organizations can only narrow what you hold; a key you call with limits the keys it creates. The key expires after `expires_in_days` (default and maximum: IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS).",
  ...verbAccess(createApiKey),
  request: {
    body: {
      description: "The new key",
      required: true,
      content: { "application/json": { schema: CreateApiKeySchema } },
    },
  },
  responses: {
    201: {
      description: "Created; `key` is shown only now",
      content: { "application/json": { schema: ApiKeyWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const key = await createApiKey(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "api-keys", key.key_id));
  c.header("Cache-Control", "no-store");
  return c.json(key, 201);
};
