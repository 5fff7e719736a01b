import { createRouter } from "../../lib/http/app.ts";
import * as createOperationEntry from "./routes/create_operation_entry.ts";
import * as deleteOperationEntry from "./routes/delete_operation_entry.ts";
import * as getOperationEntry from "./routes/get_operation_entry.ts";
import * as getOperationMetrics from "./routes/get_operation_metrics.ts";
import * as listEvents from "./routes/list_events.ts";
import * as listOperationEntries from "./routes/list_operation_entries.ts";
import * as listProjectEvents from "./routes/list_project_events.ts";
import * as listProjectOperationEntries from "./routes/list_project_operation_entries.ts";
import * as updateOperationEntry from "./routes/update_operation_entry.ts";

/** The `oplog` route group: the operations log and the change-event feeds (ClickHouse-backed). */
export const oplog = createRouter()
  .openapi(listOperationEntries.route, listOperationEntries.handler)
  .openapi(createOperationEntry.route, createOperationEntry.handler)
  // Before /operations-log/{id}, which would otherwise match "metrics".
  .openapi(getOperationMetrics.route, getOperationMetrics.handler)
  .openapi(getOperationEntry.route, getOperationEntry.handler)
  .openapi(updateOperationEntry.route, updateOperationEntry.handler)
  .openapi(deleteOperationEntry.route, deleteOperationEntry.handler)
  .openapi(listProjectOperationEntries.route, listProjectOperationEntries.handler)
  .openapi(listEvents.route, listEvents.handler)
  .openapi(listProjectEvents.route, listProjectEvents.handler);
