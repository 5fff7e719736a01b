import { createRouter } from "../../lib/http/app.ts";
import * as getMe from "./routes/get_me.ts";
import * as login from "./routes/login.ts";
import * as logout from "./routes/logout.ts";
import * as refreshToken from "./routes/refresh_token.ts";

/** Login, token refresh, logout and the caller's own profile. */
export const auth = createRouter()
  .openapi(login.route, login.handler)
  .openapi(refreshToken.route, refreshToken.handler)
  .openapi(logout.route, logout.handler)
  .openapi(getMe.route, getMe.handler);
