import { createRouter } from "../../lib/http/app.ts";
import { authorizePages } from "./pages.ts";
import * as listMyAuthorizations from "./routes/list_my_authorizations.ts";
import * as listOAuthClients from "./routes/list_oauth_clients.ts";
import * as registerClient from "./routes/register_client.ts";
import * as revokeMyAuthorization from "./routes/revoke_my_authorization.ts";
import * as revokeOAuthClient from "./routes/revoke_oauth_client.ts";

export { oauthWellKnown } from "./well_known.ts";

/** The OAuth authorization server: DCR, the authorization pages, clients (admin) and your authorizations. */
export const oauth = createRouter()
  .openapi(registerClient.route, registerClient.handler, registerClient.hook)
  .openapi(listOAuthClients.route, listOAuthClients.handler)
  .openapi(revokeOAuthClient.route, revokeOAuthClient.handler)
  .openapi(listMyAuthorizations.route, listMyAuthorizations.handler)
  .openapi(revokeMyAuthorization.route, revokeMyAuthorization.handler)
  .route("/", authorizePages);
