import { createRouter } from "../../lib/http/app.ts";
import * as addServiceAccountMembership from "./routes/add_service_account_membership.ts";
import * as createClientCredential from "./routes/create_client_credential.ts";
import * as createServiceAccount from "./routes/create_service_account.ts";
import * as deleteServiceAccount from "./routes/delete_service_account.ts";
import * as deleteServiceAccountMembership from "./routes/delete_service_account_membership.ts";
import * as getServiceAccount from "./routes/get_service_account.ts";
import * as listClientCredentials from "./routes/list_client_credentials.ts";
import * as listRoleServiceAccounts from "./routes/list_role_service_accounts.ts";
import * as listServiceAccountKeys from "./routes/list_service_account_keys.ts";
import * as listServiceAccounts from "./routes/list_service_accounts.ts";
import * as registerServiceAccountKey from "./routes/register_service_account_key.ts";
import * as revokeClientCredential from "./routes/revoke_client_credential.ts";
import * as revokeServiceAccountKey from "./routes/revoke_service_account_key.ts";
import * as rotateClientCredential from "./routes/rotate_client_credential.ts";
import * as updateServiceAccount from "./routes/update_service_account.ts";
import * as updateServiceAccountMembership from "./routes/update_service_account_membership.ts";

/** The `service-accounts` route group: machine identities, their memberships and credentials. */
export const serviceAccounts = createRouter()
  .openapi(listServiceAccounts.route, listServiceAccounts.handler)
  .openapi(createServiceAccount.route, createServiceAccount.handler)
  .openapi(getServiceAccount.route, getServiceAccount.handler)
  .openapi(updateServiceAccount.route, updateServiceAccount.handler)
  .openapi(deleteServiceAccount.route, deleteServiceAccount.handler)
  .openapi(addServiceAccountMembership.route, addServiceAccountMembership.handler)
  .openapi(updateServiceAccountMembership.route, updateServiceAccountMembership.handler)
  .openapi(deleteServiceAccountMembership.route, deleteServiceAccountMembership.handler)
  .openapi(listRoleServiceAccounts.route, listRoleServiceAccounts.handler)
  .openapi(listClientCredentials.route, listClientCredentials.handler)
  .openapi(createClientCredential.route, createClientCredential.handler)
  .openapi(revokeClientCredential.route, revokeClientCredential.handler)
  .openapi(rotateClientCredential.route, rotateClientCredential.handler)
  .openapi(listServiceAccountKeys.route, listServiceAccountKeys.handler)
  .openapi(registerServiceAccountKey.route, registerServiceAccountKey.handler)
  .openapi(revokeServiceAccountKey.route, revokeServiceAccountKey.handler);
