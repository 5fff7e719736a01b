import { createRouter } from "../../lib/app.ts";

/** The `admin` route group. */
export const admin = createRouter();
