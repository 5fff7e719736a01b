import { createRouter } from "../../lib/app.ts";

/** The `projects` route group (being built for the catalog issue). */
export const projects = createRouter();
