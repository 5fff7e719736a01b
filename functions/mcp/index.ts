import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Context } from "hono";
import { ANONYMOUS } from "../../lib/core/actor.ts";
import { createGrants } from "../../lib/core/grants.ts";
import { codeToStatus, DomainError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/app.ts";
import { createRouter } from "../../lib/http/app.ts";
import { authenticateBearerHeader } from "../../lib/http/auth.ts";
import { publicBase, trustedOrigins } from "../../lib/http/origin.ts";
import { ApiError, problemResponse } from "../../lib/http/problem.ts";
import { buildMcpServer } from "../../lib/mcp/server.ts";

// The MCP door (issue 11): `/mcp` at the host root, streamable HTTP, stateless — a server and a
// transport per request, JSON responses, nothing kept in the isolate (Workers would lose it).
// Authentication is a Bearer header only (API key, client-credential token, OAuth token for this
// resource); the verbs behind the tools authorize every call. See docs/mcp.md.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * DNS-rebinding protection (MCP transport spec): a browser's `Origin` must be one this installation
 * answers as (IMBI_API_URL's, the CORS-allowed ones). Without IMBI_API_URL, a same-origin request
 * to a loopback host is allowed too (IMBI_API_URL unset or a bare prefix such as `/api`) (local development); a rebinding attack comes from a page on a
 * non-loopback name, so it never matches. Non-browser clients send no Origin and are not affected.
 */
function originAllowed(c: Context<AppEnv>, origin: string): boolean {
  if (trustedOrigins(c.env).includes(origin)) return true;
  const url = new URL(c.req.url);
  const absoluteApiUrl = /^https?:\/\//i.test(c.env.IMBI_API_URL ?? "");
  return !absoluteApiUrl && LOOPBACK.has(url.hostname) && origin === url.origin;
}

/** A JSON-RPC error response, as the transport would answer it. */
function jsonRpcError(status: 400, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

const lists = (body: unknown): boolean =>
  (Array.isArray(body) ? body : [body]).some(
    (m) => typeof m === "object" && m !== null && (m as { method?: unknown }).method === "tools/list",
  );

/** `POST /mcp`; GET and DELETE answer 405 (no server-initiated stream, no sessions to end). */
export const mcp = createRouter();

mcp.all("/mcp", async (c) => {
  const origin = c.req.header("Origin");
  if (origin !== undefined && !originAllowed(c, origin))
    return problemResponse(c, "FORBIDDEN", `Origin '${origin.slice(0, 200)}' is not allowed to call /mcp.`);
  if (c.req.method !== "POST")
    return problemResponse(
      c,
      "METHOD_NOT_ALLOWED",
      "The MCP endpoint is stateless: send JSON-RPC messages with POST (no SSE stream, no sessions).",
      undefined,
      { Allow: "POST" },
    );

  const base = publicBase(c);
  try {
    await authenticateBearerHeader(c, base.mcpResource);
  } catch (e) {
    // Credential problems come as ApiError (missing header) or DomainError (a bad key or token).
    const problem =
      e instanceof ApiError
        ? { code: e.code, detail: e.detail }
        : e instanceof DomainError
          ? { code: e.code, detail: e.message }
          : null;
    if (!problem || codeToStatus(problem.code) !== 401) throw e;
    // RFC 9728 §5.1: the client discovers the authorization server from this URL.
    const metadata = `${base.origin}/.well-known/oauth-protected-resource/mcp`;
    const error = c.req.header("Authorization") ? ', error="invalid_token"' : "";
    return problemResponse(c, problem.code, problem.detail, undefined, {
      "WWW-Authenticate": `Bearer resource_metadata="${metadata}"${error}`,
    });
  }

  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return jsonRpcError(400, -32700, "Parse error: the body must be a JSON-RPC message.");
  }
  const services = c.get("services");
  const actor = c.get("actor") ?? ANONYMOUS;
  const caller = {
    services,
    actor,
    grants: c.get("grants") ?? createGrants(services.graph, actor, services.env.IMBI_SYSTEM_ORGANIZATION),
    requestId: c.get("requestId"),
  };
  const server = await buildMcpServer(caller, { listing: lists(body) });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  const response = await transport.handleRequest(c.req.raw, { parsedBody: body });
  // JSON mode: the response is complete once returned; the server and transport go with the request.
  services.background(server.close());
  return response;
});
