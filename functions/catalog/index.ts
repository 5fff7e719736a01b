import { createRouter } from "../../lib/app.ts";

/** The `catalog` route group (being built for the catalog issue). */
export const catalog = createRouter();
