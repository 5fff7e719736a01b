import { createRouter } from "../../lib/http/app.ts";
import { appPageHeaders, appPaths, appRouteHandler } from "./app_page.ts";
import { pageHeaders } from "./pages.ts";
import * as getDocs from "./routes/get_docs.ts";
import * as getRoot from "./routes/get_root.ts";
import * as getStaticFile from "./routes/get_static_file.ts";

/**
 * The `site` route group, mounted at the root: `/` (the web app for browsers, JSON for API
 * clients), the web app's screens (`/login`, `/o/…`), Swagger UI at `/docs` and the static files
 * they use, under `/static/`. Nothing here loads from another origin.
 */
export const site = createRouter().openapi(getRoot.route, getRoot.handler);
site.get(getDocs.path, pageHeaders, getDocs.handler);
site.get(getStaticFile.path, getStaticFile.handler);
// The web app's screens (deep links): its index.html.
for (const path of appPaths) site.get(path, appPageHeaders, appRouteHandler);
