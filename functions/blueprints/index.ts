import { createRouter } from "../../lib/app.ts";

/** The `blueprints` route group (being built for the catalog issue). */
export const blueprints = createRouter();
