import { createRouter } from "../../lib/app.ts";

/** The `auth` route group. */
export const auth = createRouter();
