// The Cloudflare Workers host (wrangler.toml `main`). Everything here must run in workerd: no
// Node APIs beyond what `nodejs_compat` provides (postgres.js needs node:buffer/stream/events).

import type { ExecutionContext } from "hono";
import { nanoid } from "nanoid";
import { buildRouter } from "../../functions/registry.ts";
import { runDailyRecompute, scoreHandler } from "../../functions/score-consumer/index.ts";
import { apiPrefix, ConfigError, type Env, type HyperdriveBinding, parseEnv } from "../../lib/env.ts";
import type { App, Bindings } from "../../lib/http/app.ts";
import { problemBody } from "../../lib/http/problem.ts";
import { createLogger } from "../../lib/log.ts";
import { workerRuntime } from "../../lib/runtime.ts";
import {
  type CloudflareMessageBatch,
  type CloudflareQueueProducer,
  consumeCloudflareBatch,
} from "../../lib/scoring/queue_cloudflare.ts";
import { recomputeBatch } from "../../lib/scoring/recompute.ts";
import { createServices, type Services } from "../../lib/services.ts";
import type { AssetsBinding } from "../../lib/static_assets.ts";
import { pruneDelivered } from "../../lib/webhooks/deliveries.ts";
import { dispatchDue } from "../../lib/webhooks/dispatch.ts";
import { DELIVERED_RETENTION_DAYS } from "../../lib/webhooks/dispatcher.ts";
import { pruneReceipts } from "../../lib/webhooks/inbound.ts";
import { consumeWebhookBatch, processReceipts } from "../../lib/webhooks/process.ts";

/**
 * What workerd hands `fetch`: vars and secrets are strings, HYPERDRIVE is the binding object
 * (`.connectionString` points at Hyperdrive's pooler, or at Miniflare's local proxy).
 */
export interface WorkerEnv {
  HYPERDRIVE?: HyperdriveBinding;
  /** The score queue's producer binding (wrangler.toml `[[queues.producers]]`). */
  SCORE_QUEUE?: CloudflareQueueProducer;
  /** The received-webhook queue's producer binding (wrangler.toml; ADR 0014). */
  WEBHOOK_QUEUE?: CloudflareQueueProducer;
  /** The static files (wrangler.toml `[assets]`). */
  ASSETS?: AssetsBinding;
  [name: string]: unknown;
}

// Isolate-safe: keyed by the env object itself, which workerd creates once per isolate from the
// deployment's (immutable) vars, secrets and bindings. A new deployment or secret gets a new
// isolate and so a new key; the WeakMap never keeps an env alive on its own. Caching the
// ConfigError too means a misconfigured isolate does not re-validate on every request.
const parsedEnvs = new WeakMap<object, Env | ConfigError>();

// Isolate-safe: a router holds only route definitions, middleware and the lazily built OpenAPI
// document — no clients, sockets or request data (those are made per request by `init()`).
// Keyed by the API prefix, the one setting that shapes the routing table.
const routers = new Map<string, App>();

function parseCached(env: WorkerEnv): Env | ConfigError {
  let parsed = parsedEnvs.get(env);
  if (!parsed) {
    try {
      parsed = parseEnv(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      parsed = err;
    }
    parsedEnvs.set(env, parsed);
  }
  return parsed;
}

function routerFor(env: Env): App {
  const prefix = apiPrefix(env);
  let router = routers.get(prefix);
  if (!router) {
    router = buildRouter(env);
    routers.set(prefix, router);
  }
  return router;
}

/**
 * The 500 for a deployment whose vars/secrets fail validation. Uses `problemBody` directly
 * because there is no Hono context yet: the env is checked before routing.
 */
function badEnvironment(req: Request, err: ConfigError): Response {
  const requestId = `req_${nanoid(16)}`;
  // Logged in full so the operator sees every problem in `wrangler tail`; the body lists them too,
  // since they name settings, never their values.
  console.error(
    JSON.stringify({ level: "error", msg: "invalid environment", requestId, problems: err.problems }),
  );
  const body = problemBody(
    "BAD_ENVIRONMENT",
    `The deployment's configuration is invalid: ${err.problems.join("; ")}`,
    new URL(req.url).pathname,
    requestId,
    err.problems.map((p) => {
      const at = p.indexOf(": ");
      return at > 0
        ? { location: `env.${p.slice(0, at)}`, message: p.slice(at + 2) }
        : { location: "env", message: p };
    }),
  );
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "Content-Type": "application/problem+json", "X-Request-Id": requestId },
  });
}

/** Validates the env at the fetch boundary (STYLE H11), then routes. */
export function fetchWorker(
  req: Request,
  env: WorkerEnv,
  ctx: ExecutionContext,
): Response | Promise<Response> {
  const parsed = parseCached(env);
  if (parsed instanceof ConfigError) return badEnvironment(req, parsed);
  return routerFor(parsed).fetch(req, liveBindings(parsed, env), ctx);
}

// HYPERDRIVE, SCORE_QUEUE and ASSETS are passed through as the live binding objects (HYPERDRIVE's
// connectionString is a getter workerd resolves; zod must not copy them into plain objects).
const liveBindings = (parsed: Env, env: WorkerEnv): Bindings => ({
  ...parsed,
  HYPERDRIVE: env.HYPERDRIVE,
  SCORE_QUEUE: env.SCORE_QUEUE,
  WEBHOOK_QUEUE: env.WEBHOOK_QUEUE,
  ASSETS: env.ASSETS,
});

/** Parses the env for a queue or cron invocation; a bad configuration throws (the runtime retries). */
function servicesFor(env: WorkerEnv, ctx: ExecutionContext): () => Services {
  const parsed = parseCached(env);
  if (parsed instanceof ConfigError) throw parsed;
  const bindings = liveBindings(parsed, env);
  return () => createServices(bindings, workerRuntime(ctx), { recompute: recomputeBatch });
}

/**
 * This Worker's `queue()` handler, the consumer of two queues (wrangler.toml): `imbi-webhooks`
 * (received webhook deliveries, lib/webhooks/process.ts) and `imbi-scores` (the score consumer,
 * functions/score-consumer), each with retries and a dead-letter queue.
 */
export async function queueWorker(
  batch: CloudflareMessageBatch & { queue?: string },
  env: WorkerEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const services = servicesFor(env, ctx);
  if (batch.queue?.startsWith(WEBHOOK_QUEUE_PREFIX)) {
    const s = services();
    try {
      await consumeWebhookBatch(s, batch);
    } finally {
      await s.close();
    }
    return;
  }
  await consumeCloudflareBatch(batch, scoreHandler(services), { log: createLogger("warn") });
}

/** The received-webhook queue's name (and its dead-letter queue's, `imbi-webhooks-dlq`). */
const WEBHOOK_QUEUE_PREFIX = "imbi-webhooks";

/** wrangler.toml's every-minute trigger: outbound webhook retries, inbound deliveries due. */
const WEBHOOK_CRON = "* * * * *";

/** The cron triggers (wrangler.toml `[triggers]`): the daily recompute, and webhook retries. */
export async function scheduledWorker(
  controller: { cron?: string },
  env: WorkerEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const s = servicesFor(env, ctx)();
  try {
    // The every-minute trigger sends outbound webhooks whose retry is due (fresh events go out
    // after their request); the daily one requests the recompute.
    if (controller.cron === WEBHOOK_CRON) {
      await dispatchDue(s);
      await processReceipts(s);
    } else {
      await runDailyRecompute(s);
      // The logs' retention (the Node host prunes on its timer): delivered outbound deliveries and
      // finished inbound ones; dead letters of subscriptions stay until redelivered.
      await pruneDelivered(s.sql, DELIVERED_RETENTION_DAYS);
      await pruneReceipts(s.sql, s.env.IMBI_WEBHOOKS_RECEIPT_RETENTION_DAYS);
    }
  } finally {
    await s.close();
  }
}

// workerd loads the module's default export; biome.json allows it under apps/worker/** (a
// suppression comment here would be reported as unused).
export default { fetch: fetchWorker, queue: queueWorker, scheduled: scheduledWorker };
