import { createRouter } from "../../lib/http/app.ts";
import * as checkBlueprintImpact from "./routes/check_blueprint_impact.ts";
import * as createBlueprint from "./routes/create_blueprint.ts";
import * as deleteBlueprint from "./routes/delete_blueprint.ts";
import * as getBlueprint from "./routes/get_blueprint.ts";
import * as getBlueprintImpact from "./routes/get_blueprint_impact.ts";
import * as getEffectiveSchema from "./routes/get_effective_schema.ts";
import * as getOpenapiComponents from "./routes/get_openapi_components.ts";
import * as listBlueprints from "./routes/list_blueprints.ts";
import * as updateBlueprint from "./routes/update_blueprint.ts";

/** The `blueprints` route group: JSON-Schema custom attributes, their merged schemas and impact. */
export const blueprints = createRouter()
  .openapi(listBlueprints.route, listBlueprints.handler)
  .openapi(createBlueprint.route, createBlueprint.handler)
  .openapi(getEffectiveSchema.route, getEffectiveSchema.handler)
  .openapi(getOpenapiComponents.route, getOpenapiComponents.handler)
  .openapi(getBlueprint.route, getBlueprint.handler)
  .openapi(updateBlueprint.route, updateBlueprint.handler)
  .openapi(deleteBlueprint.route, deleteBlueprint.handler)
  .openapi(getBlueprintImpact.route, getBlueprintImpact.handler)
  .openapi(checkBlueprintImpact.route, checkBlueprintImpact.handler);
