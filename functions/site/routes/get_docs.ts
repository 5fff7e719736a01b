import type { Handler } from "hono";
import type { AppEnv } from "../../../lib/http/app.ts";
import { docsPage } from "../pages.ts";

/** `GET /docs`: Swagger UI (HTML for browsers, so not an operation of the OpenAPI document). */
export const path = "/docs";

export const handler: Handler<AppEnv> = async (c) =>
  c.html(await docsPage({ nonce: c.get("secureHeadersNonce") ?? "" }), 200);
