import { createRouter } from "../../lib/http/app.ts";
import * as getMe from "./routes/get_me.ts";
import * as issueToken from "./routes/issue_token.ts";
import * as listMySessions from "./routes/list_my_sessions.ts";
import * as login from "./routes/login.ts";
import * as logout from "./routes/logout.ts";
import * as refreshToken from "./routes/refresh_token.ts";
import * as revokeMyOtherSessions from "./routes/revoke_my_other_sessions.ts";
import * as revokeMySession from "./routes/revoke_my_session.ts";
import * as whoami from "./routes/whoami.ts";

/** Login, token refresh, logout, the OAuth token endpoint and who the caller is. */
export const auth = createRouter()
  .openapi(login.route, login.handler)
  .openapi(refreshToken.route, refreshToken.handler)
  .openapi(logout.route, logout.handler)
  .openapi(getMe.route, getMe.handler)
  .openapi(listMySessions.route, listMySessions.handler)
  .openapi(revokeMyOtherSessions.route, revokeMyOtherSessions.handler)
  .openapi(revokeMySession.route, revokeMySession.handler)
  .openapi(issueToken.route, issueToken.handler, issueToken.hook)
  .openapi(whoami.route, whoami.handler);
