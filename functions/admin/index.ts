import { createRouter } from "../../lib/http/app.ts";
import * as addMembership from "./routes/add_membership.ts";
import * as changePassword from "./routes/change_password.ts";
import * as createRole from "./routes/create_role.ts";
import * as createUser from "./routes/create_user.ts";
import * as deleteMembership from "./routes/delete_membership.ts";
import * as deleteRole from "./routes/delete_role.ts";
import * as deleteUser from "./routes/delete_user.ts";
import * as getRole from "./routes/get_role.ts";
import * as getUser from "./routes/get_user.ts";
import * as grantPermission from "./routes/grant_permission.ts";
import * as listPermissions from "./routes/list_permissions.ts";
import * as listRoles from "./routes/list_roles.ts";
import * as listUserSessions from "./routes/list_user_sessions.ts";
import * as listUsers from "./routes/list_users.ts";
import * as revokePermission from "./routes/revoke_permission.ts";
import * as revokeUserSessions from "./routes/revoke_user_sessions.ts";
import * as updateMembership from "./routes/update_membership.ts";
import * as updateRole from "./routes/update_role.ts";
import * as updateUser from "./routes/update_user.ts";

/** The `admin` route group: users, memberships, roles and the permission catalog. */
export const admin = createRouter()
  .openapi(listUsers.route, listUsers.handler)
  .openapi(createUser.route, createUser.handler)
  .openapi(getUser.route, getUser.handler)
  .openapi(updateUser.route, updateUser.handler)
  .openapi(deleteUser.route, deleteUser.handler)
  .openapi(changePassword.route, changePassword.handler)
  .openapi(listUserSessions.route, listUserSessions.handler)
  .openapi(revokeUserSessions.route, revokeUserSessions.handler)
  .openapi(addMembership.route, addMembership.handler)
  .openapi(updateMembership.route, updateMembership.handler)
  .openapi(deleteMembership.route, deleteMembership.handler)
  .openapi(listRoles.route, listRoles.handler)
  .openapi(createRole.route, createRole.handler)
  .openapi(getRole.route, getRole.handler)
  .openapi(updateRole.route, updateRole.handler)
  .openapi(deleteRole.route, deleteRole.handler)
  .openapi(grantPermission.route, grantPermission.handler)
  .openapi(revokePermission.route, revokePermission.handler)
  .openapi(listPermissions.route, listPermissions.handler);
