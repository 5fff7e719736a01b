import { createRouter } from "../../lib/http/app.ts";
import * as createWebhook from "./routes/create_webhook.ts";
import * as deleteWebhook from "./routes/delete_webhook.ts";
import * as getWebhook from "./routes/get_webhook.ts";
import * as getWebhookDelivery from "./routes/get_webhook_delivery.ts";
import * as listWebhookDeliveries from "./routes/list_webhook_deliveries.ts";
import * as listWebhooks from "./routes/list_webhooks.ts";
import * as replayWebhookDelivery from "./routes/replay_webhook_delivery.ts";
import * as rotateWebhookSecret from "./routes/rotate_webhook_secret.ts";
import * as updateWebhook from "./routes/update_webhook.ts";

/**
 * The `webhooks` route group: an organization's inbound webhooks (selectors, secret, rules), their
 * delivery logs and replay, under `/organizations/{org}/webhooks`. The public receiver the senders
 * post to is a group of its own (functions/webhook-receiver).
 */
export const webhooks = createRouter()
  .openapi(listWebhooks.route, listWebhooks.handler)
  .openapi(createWebhook.route, createWebhook.handler)
  .openapi(getWebhook.route, getWebhook.handler)
  .openapi(updateWebhook.route, updateWebhook.handler)
  .openapi(deleteWebhook.route, deleteWebhook.handler)
  .openapi(rotateWebhookSecret.route, rotateWebhookSecret.handler)
  .openapi(listWebhookDeliveries.route, listWebhookDeliveries.handler)
  .openapi(getWebhookDelivery.route, getWebhookDelivery.handler)
  .openapi(replayWebhookDelivery.route, replayWebhookDelivery.handler);
