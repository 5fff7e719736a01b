import { OpenAPIHono, type OpenAPIHonoOptions } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { nanoid } from "nanoid";
import type { Actor } from "../core/actor.ts";
import type { Ctx, OrgScope } from "../core/ctx.ts";
import type { Grants } from "../core/grants.ts";
import type { Env } from "../env.ts";
import { zodFieldErrors } from "../errors.ts";
import { type Runtime, workerRuntime } from "../runtime.ts";
import { recomputeBatch } from "../scoring/recompute.ts";
import { createServices, type Services, type SharedClients } from "../services.ts";
import type { AssetsBinding } from "../static_assets.ts";
import { findUnsafeText } from "../text.ts";
import { apiKeyUsage } from "./api_key_usage.ts";
import { clientMeta } from "./client.ts";
import { handleError, problemResponse } from "./problem.ts";
import { allowedMethods, guardRoute, noRoute } from "./route_guards.ts";

/** What a non-Workers host hands every request: its background-work hook and shared clients. */
export interface HostHooks {
  runtime: Runtime;
  shared: SharedClients;
}

/**
 * The validated env plus, on Node and in tests, the host's hooks and the client's address as the
 * host saw it (the socket peer; never a client-sent header), and the static files (Workers
 * static assets, or the Node host's stand-in).
 */
export type Bindings = Env & { IMBI_HOST?: HostHooks; IMBI_CLIENT_IP?: string; ASSETS?: AssetsBinding };

/** Hono environment of every Imbi app. */
export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    services: Services;
    /** Who is calling, set by authentication (lib/http/auth.ts). */
    actor?: Actor;
    /** What the actor may do; remembers the role read during authentication. */
    grants?: Grants;
    /** The organization the path names (`{org}`), resolved once. */
    org?: OrgScope;
    /** The verb context of this request (lib/http/ctx.ts). */
    ctx?: Ctx;
  };
}

/** The app type every route group exports. */
export type App = OpenAPIHono<AppEnv>;

const hasBody = (method: string) => method !== "GET" && method !== "HEAD" && method !== "OPTIONS";

/** Builds request services from env + host hooks, and closes per-request connections afterwards. */
export const init = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const host = c.env.IMBI_HOST;
  const runtime = host?.runtime ?? workerRuntime(c.executionCtx);
  // Hosts without long-lived clients (Workers) recompute scores after the response without a queue.
  const services = createServices(c.env, runtime, host?.shared ?? { recompute: recomputeBatch });
  services.requestId = c.get("requestId");
  c.set("services", services);
  try {
    await next();
  } finally {
    runtime.waitUntil(services.close());
  }
};

/** One JSON access-log line per request. */
const accessLog = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const start = performance.now();
  await next();
  if (!c.env.IMBI_ACCESS_LOG) return;
  c.get("services")?.log.info("request", {
    requestId: c.get("requestId"),
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    status: c.res.status,
    durationMs: Math.round((performance.now() - start) * 100) / 100,
    principal: c.get("actor")?.id,
    ip: clientMeta(c).ip,
  });
};

/**
 * Runs after every validator (param, query, header, json): a failure becomes a 400 listing each
 * field; a value that passed but holds text the stores cannot keep (lib/text.ts) becomes a 400
 * naming that field.
 */
const defaultHook: OpenAPIHonoOptions<AppEnv>["defaultHook"] = (result, c) => {
  if (!result.success)
    return problemResponse(
      c as Context,
      "VALIDATION_FAILED",
      `The request ${result.target} is invalid: ${result.error.issues
        .map((i) => `${[result.target, ...i.path.map(String)].join(".")}: ${i.message}`)
        .join("; ")}`,
      zodFieldErrors(result.error, result.target),
    );
  const unsafe = findUnsafeText(result.data, result.target);
  if (unsafe)
    return problemResponse(
      c as Context,
      "VALIDATION_FAILED",
      `The request ${result.target} is invalid: ${unsafe.location}: ${unsafe.message}`,
      [unsafe],
    );
};

/**
 * A route group's router: routes and their zod → problem+json hook, no middleware. Groups are
 * mounted by {@link createApp}-made apps, so the middleware stack runs once per request. Every
 * route registered through `openapi()` gets the guards of lib/http/route_guards.ts (authentication
 * before validation, the body's media type) in front of its validators.
 */
export function createRouter(): App {
  const app = new OpenAPIHono<AppEnv>({ strict: false, defaultHook });
  const register = app.openapi;
  app.openapi = ((route, handler, hook) => register(guardRoute(route), handler, hook)) as typeof register;
  return app;
}

/** The path of the inbound webhook receiver (functions/webhook-receiver), under any API prefix. */
const WEBHOOK_RECEIVER = /\/webhooks\/whk_[A-Za-z0-9]{21}$/;

/**
 * The one factory for servable apps: request ids, access log, CORS, body limit, services, the
 * security scheme and the error handler live here and nowhere else.
 */
export function createApp(): App {
  const app = createRouter();
  app.use(requestId({ headerName: "X-Request-Id", generator: () => `req_${nanoid(16)}` }));
  // The allow-list comes from env at request time; the middleware itself is built once.
  const corsMiddleware = cors({
    origin: (o, c) => ((c.env as Bindings).IMBI_API_CORS_ALLOWED_ORIGINS?.includes(o) ? o : null),
    credentials: true,
    allowHeaders: ["Authorization", "Content-Type", "If-Match", "X-Request-Id"],
    exposeHeaders: ["ETag", "Location", "Link", "X-Request-Id", "Retry-After", "X-Login-Delay"],
  });
  app.use(corsMiddleware);
  app.use(init());
  app.use(accessLog());
  app.use(apiKeyUsage());
  app.use(async (c, next) => {
    if (!hasBody(c.req.method)) return next();
    // The webhook receiver has its own limit: senders' events can be larger than API requests.
    const [max, setting] = WEBHOOK_RECEIVER.test(c.req.path)
      ? [c.env.IMBI_WEBHOOKS_MAX_BODY_BYTES, "IMBI_WEBHOOKS_MAX_BODY_BYTES"]
      : [c.env.IMBI_API_MAX_BODY_BYTES, "IMBI_API_MAX_BODY_BYTES"];
    return bodyLimit({
      maxSize: max,
      onError: (cc) =>
        problemResponse(cc, "PAYLOAD_TOO_LARGE", `The request body exceeds ${max} bytes (${setting}).`),
    })(c, next);
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "An access token from POST /api/auth/login (or the imbi_access cookie), or an API key `ik_<id>_<secret>` (POST /api/api-keys)",
  });
  // A known path with another method is a 405 with Allow; anything else a 404.
  const methodsOf = allowedMethods(app.routes);
  app.notFound((c) => noRoute(c, methodsOf(new URL(c.req.url).pathname)));
  app.onError(handleError);
  return app;
}
