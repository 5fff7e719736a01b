import { createRouter } from "../../lib/http/app.ts";
import * as listAuditLog from "./routes/list_audit_log.ts";

/** The `audit-log` route group: reading the audit log (analytics-backed; ctx.audit writes it). */
export const auditLog = createRouter().openapi(listAuditLog.route, listAuditLog.handler);
