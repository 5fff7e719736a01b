import { createRouter } from "../../lib/app.ts";

/** The `orgs` route group. */
export const orgs = createRouter();
