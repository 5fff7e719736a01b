import { createRouter } from "../../lib/http/app.ts";
import * as createRelationship from "./routes/create_relationship.ts";
import * as deleteRelationship from "./routes/delete_relationship.ts";
import * as getDependencies from "./routes/get_dependencies.ts";
import * as getDependencyClosure from "./routes/get_dependency_closure.ts";
import * as getGraph from "./routes/get_graph.ts";
import * as getPath from "./routes/get_path.ts";
import * as listCycles from "./routes/list_cycles.ts";
import * as listRelationships from "./routes/list_relationships.ts";

/** The `graph` route group: project dependencies, traversals, paths, cycles and the org graph. */
export const graph = createRouter()
  .openapi(listRelationships.route, listRelationships.handler)
  .openapi(createRelationship.route, createRelationship.handler)
  .openapi(deleteRelationship.route, deleteRelationship.handler)
  .openapi(getDependencyClosure.route, getDependencyClosure.handler)
  .openapi(getDependencies.route, getDependencies.handler)
  .openapi(getPath.route, getPath.handler)
  .openapi(listCycles.route, listCycles.handler)
  .openapi(getGraph.route, getGraph.handler);
