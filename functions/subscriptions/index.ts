import { createRouter } from "../../lib/http/app.ts";
import * as createSubscription from "./routes/create_subscription.ts";
import * as deleteSubscription from "./routes/delete_subscription.ts";
import * as getSubscription from "./routes/get_subscription.ts";
import * as listSubscriptionDeliveries from "./routes/list_subscription_deliveries.ts";
import * as listSubscriptions from "./routes/list_subscriptions.ts";
import * as redeliverSubscriptionDelivery from "./routes/redeliver_subscription_delivery.ts";
import * as rotateSubscriptionSecret from "./routes/rotate_subscription_secret.ts";
import * as updateSubscription from "./routes/update_subscription.ts";

/**
 * The `subscriptions` route group: an organization's outbound webhook subscriptions, their
 * delivery logs and manual redelivery, under `/organizations/{org}/subscriptions`.
 */
export const subscriptions = createRouter()
  .openapi(listSubscriptions.route, listSubscriptions.handler)
  .openapi(createSubscription.route, createSubscription.handler)
  .openapi(getSubscription.route, getSubscription.handler)
  .openapi(updateSubscription.route, updateSubscription.handler)
  .openapi(deleteSubscription.route, deleteSubscription.handler)
  .openapi(rotateSubscriptionSecret.route, rotateSubscriptionSecret.handler)
  .openapi(listSubscriptionDeliveries.route, listSubscriptionDeliveries.handler)
  .openapi(redeliverSubscriptionDelivery.route, redeliverSubscriptionDelivery.handler);
