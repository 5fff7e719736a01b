import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../lib/http/app.ts";
import { ctxOf } from "../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../lib/http/problem.ts";
import { receiveWebhook } from "../../lib/webhooks/receiver.ts";
import { ReceivedSchema, ReceiverParamSchema } from "./schemas.ts";

// The public receiver of inbound webhooks, a route group of its own (ADR 0014): no bearer token —
// the delivery's signature is its authentication, verified over the raw bytes before anything is
// parsed or stored — and its own body limit (IMBI_WEBHOOKS_MAX_BODY_BYTES, applied by the app's
// body-limit middleware for this path).

export const route = createRoute({
  operationId: "receiveWebhook",
  method: "post",
  path: "/webhooks/{id}",
  tags: ["webhooks"],
  summary: "Receive a webhook delivery (for senders)",
  description:
    'Where a sender posts: the signature is verified first and fails closed — github: `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>` (delivery id `X-GitHub-Delivery`); pagerduty: `X-PagerDuty-Signature: v1=<hex>[,v1=…]` (id `X-Webhook-Id`); generic: `X-Imbi-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">` within IMBI_WEBHOOKS_SIGNATURE_TOLERANCE_SECONDS of now (id `X-Imbi-Delivery`). A verified JSON body is stored and acknowledged with 202; the rules run off the request. A delivery id received before is acknowledged (`duplicate: true`) and not run again. Unknown or inactive webhook → 404; bad, missing or stale signature → 401; body over IMBI_WEBHOOKS_MAX_BODY_BYTES → 413; not application/json → 415; not JSON → 422; over IMBI_WEBHOOKS_RATE_LIMIT → 429. Nothing is stored for any of them.',
  ...verbAccess(receiveWebhook),
  request: {
    params: ReceiverParamSchema,
    body: {
      description: "The sender's event, exactly as signed",
      required: true,
      // A plain schema object, not zod: the body must reach the verb as raw bytes, unparsed.
      content: {
        "application/json": {
          schema: {
            type: "object",
            description:
              "Any JSON the sender posts (GitHub's deployment_status event, a PagerDuty v3 event…)",
            example: { deployment_status: { state: "success" }, repository: { id: 123456 } },
          },
        },
      },
    },
  },
  responses: {
    202: {
      description: "Verified and stored; the rules run shortly (read the delivery log for what they did)",
      content: { "application/json": { schema: ReceivedSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const received = await receiveWebhook(ctxOf(c), {
    webhook: c.req.valid("param").id,
    headers: c.req.raw.headers,
    body: await c.req.text(),
  });
  return c.json(received, 202);
};

/** The `webhook-receiver` route group: `POST /webhooks/{id}`. */
export const webhookReceiver = createRouter().openapi(route, handler);
