import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../lib/http/app.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, ProblemSchema } from "../../../lib/http/problem.ts";
import { RegistrationError } from "../../../lib/oauth/clients.ts";
import { registerOAuthClient } from "../../../lib/oauth/oauth_verbs.ts";
import {
  ClientRegistrationRequestSchema,
  ClientRegistrationResponseSchema,
  RegistrationErrorSchema,
} from "../schemas.ts";

export const route = createRoute({
  operationId: "registerOAuthClient",
  method: "post",
  path: "/auth/register",
  tags: ["oauth"],
  summary: "Register an OAuth client (RFC 7591 dynamic client registration)",
  description:
    "For MCP clients: registers a public client (PKCE, no secret). Redirect URIs must be https, or http on " +
    "127.0.0.1, [::1] or localhost, without a fragment; they are matched exactly at the authorization endpoint. " +
    "Metadata errors are RFC 7591 JSON (`invalid_redirect_uri`, `invalid_client_metadata`), not problem+json. " +
    "Limited per client address (`IMBI_AUTH_RATE_LIMIT_DCR`); disabled with `IMBI_AUTH_DCR_ENABLED=false` (403).",
  ...verbAccess(registerOAuthClient),
  request: {
    body: { required: true, content: { "application/json": { schema: ClientRegistrationRequestSchema } } },
  },
  responses: {
    ...openApiErrorResponses,
    201: {
      description: "Registered",
      content: { "application/json": { schema: ClientRegistrationResponseSchema } },
    },
    400: {
      description:
        "Bad metadata: RFC 7591 §3.2.2 JSON. A body that is not JSON at all: a problem+json MALFORMED_JSON",
      content: {
        "application/json": { schema: RegistrationErrorSchema },
        "application/problem+json": { schema: ProblemSchema },
      },
    },
  },
});

const render = (c: Context<AppEnv>, e: RegistrationError) =>
  c.json({ error: e.error, error_description: e.description }, 400, { "Cache-Control": "no-store" });

export const handler: AppRouteHandler<typeof route> = async (c) => {
  try {
    const row = await registerOAuthClient(ctxOf(c), { metadata: c.req.valid("json"), client: clientMeta(c) });
    return c.json(
      {
        client_id: row.clientId,
        client_id_issued_at: Math.floor(row.createdAt.getTime() / 1000),
        client_name: row.clientName,
        redirect_uris: row.redirectUris,
        grant_types: row.grantTypes,
        response_types: ["code"],
        token_endpoint_auth_method: "none" as const,
      },
      201,
      { "Cache-Control": "no-store" },
    );
  } catch (e) {
    if (e instanceof RegistrationError) return render(c, e) as never;
    throw e;
  }
};

/** Schema failures are RFC 7591 `invalid_client_metadata` (or `invalid_redirect_uri`), not problem+json. */
export const hook = (
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  c: Context<AppEnv>,
) => {
  if (result.success) return;
  const issues = result.error?.issues ?? [];
  const redirect = issues.some((i) => i.path[0] === "redirect_uris");
  return render(
    c,
    new RegistrationError(
      redirect ? "invalid_redirect_uri" : "invalid_client_metadata",
      `Invalid client metadata: ${issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; ")}`,
    ),
  );
};
