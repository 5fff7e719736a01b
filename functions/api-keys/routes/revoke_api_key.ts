import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokeApiKey } from "../../../lib/identity/api_key_verbs.ts";
import { KeyParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokeApiKey",
  method: "delete",
  path: "/api-keys/{key_id}",
  tags: ["api-keys"],
  summary: "Revoke one of your API keys",
  description:
    "Revokes the key: from the next request on, on every replica and Worker, it is refused (401). The key stays listed with status `revoked`; revoking it again changes nothing. Your own keys only (a user's or a service account's, whichever calls); another owner's key answers 404.",
  ...verbAccess(revokeApiKey),
  request: { params: KeyParamSchema },
  responses: {
    204: { description: "Revoked" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await revokeApiKey(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
