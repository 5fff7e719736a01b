import { createRouter } from "../../lib/http/app.ts";
import * as createOrganization from "./routes/create_organization.ts";
import * as deleteOrganization from "./routes/delete_organization.ts";
import * as getOrganization from "./routes/get_organization.ts";
import * as listMembers from "./routes/list_members.ts";
import * as listOrganizations from "./routes/list_organizations.ts";
import * as updateOrganization from "./routes/update_organization.ts";

/** The `orgs` route group: organizations and their members. */
export const orgs = createRouter()
  .openapi(listOrganizations.route, listOrganizations.handler)
  .openapi(createOrganization.route, createOrganization.handler)
  .openapi(getOrganization.route, getOrganization.handler)
  .openapi(updateOrganization.route, updateOrganization.handler)
  .openapi(deleteOrganization.route, deleteOrganization.handler)
  .openapi(listMembers.route, listMembers.handler);
