import { createRouter } from "../../lib/http/app.ts";
import * as getLiveness from "./routes/get_liveness.ts";
import * as getReadiness from "./routes/get_readiness.ts";

/** `GET /status` (liveness), mounted at the root. */
export const rootStatus = createRouter().openapi(getLiveness.route, getLiveness.handler);

/** `GET {api}/status` (readiness), mounted under the API prefix. */
export const status = createRouter().openapi(getReadiness.route, getReadiness.handler);
