import { createRouter } from "../../lib/app.ts";

/** The `graph` route group (being built for the catalog issue). */
export const graph = createRouter();
