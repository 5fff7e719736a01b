import { createRouter } from "../../lib/app.ts";

/** The `oplog` route group (being built for the catalog issue). */
export const oplog = createRouter();
