import { createRouter } from "../../lib/http/app.ts";
import * as createApiKey from "./routes/create_api_key.ts";
import * as createServiceAccountApiKey from "./routes/create_service_account_api_key.ts";
import * as getApiKey from "./routes/get_api_key.ts";
import * as getApiKeyUsage from "./routes/get_api_key_usage.ts";
import * as getServiceAccountApiKey from "./routes/get_service_account_api_key.ts";
import * as getServiceAccountApiKeyUsage from "./routes/get_service_account_api_key_usage.ts";
import * as listApiKeys from "./routes/list_api_keys.ts";
import * as listServiceAccountApiKeys from "./routes/list_service_account_api_keys.ts";
import * as revokeApiKey from "./routes/revoke_api_key.ts";
import * as revokeServiceAccountApiKey from "./routes/revoke_service_account_api_key.ts";
import * as rotateApiKey from "./routes/rotate_api_key.ts";
import * as rotateServiceAccountApiKey from "./routes/rotate_service_account_api_key.ts";

/** The `api-keys` route group: your own API keys and service accounts' (issue 10, ADR 0010). */
export const apiKeys = createRouter()
  .openapi(listApiKeys.route, listApiKeys.handler)
  .openapi(createApiKey.route, createApiKey.handler)
  .openapi(getApiKey.route, getApiKey.handler)
  .openapi(revokeApiKey.route, revokeApiKey.handler)
  .openapi(rotateApiKey.route, rotateApiKey.handler)
  .openapi(getApiKeyUsage.route, getApiKeyUsage.handler)
  .openapi(listServiceAccountApiKeys.route, listServiceAccountApiKeys.handler)
  .openapi(createServiceAccountApiKey.route, createServiceAccountApiKey.handler)
  .openapi(getServiceAccountApiKey.route, getServiceAccountApiKey.handler)
  .openapi(revokeServiceAccountApiKey.route, revokeServiceAccountApiKey.handler)
  .openapi(rotateServiceAccountApiKey.route, rotateServiceAccountApiKey.handler)
  .openapi(getServiceAccountApiKeyUsage.route, getServiceAccountApiKeyUsage.handler);
