import { createRouter } from "../../lib/http/app.ts";
import * as archiveProject from "./routes/archive_project.ts";
import * as createProject from "./routes/create_project.ts";
import * as deleteProject from "./routes/delete_project.ts";
import * as getProject from "./routes/get_project.ts";
import * as getProjectSchema from "./routes/get_project_schema.ts";
import * as listProjectFacets from "./routes/list_project_facets.ts";
import * as listProjects from "./routes/list_projects.ts";
import * as searchOrganization from "./routes/search_organization.ts";
import * as unarchiveProject from "./routes/unarchive_project.ts";
import * as updateProject from "./routes/update_project.ts";
import * as updateProjectEnvironment from "./routes/update_project_environment.ts";

/** The `projects` route group: projects, their facets and the organization search. */
export const projects = createRouter()
  .openapi(listProjects.route, listProjects.handler)
  .openapi(createProject.route, createProject.handler)
  // Before /projects/{id}, which would otherwise take "facets" as an id.
  .openapi(listProjectFacets.route, listProjectFacets.handler)
  .openapi(getProject.route, getProject.handler)
  .openapi(updateProject.route, updateProject.handler)
  .openapi(deleteProject.route, deleteProject.handler)
  .openapi(archiveProject.route, archiveProject.handler)
  .openapi(unarchiveProject.route, unarchiveProject.handler)
  .openapi(updateProjectEnvironment.route, updateProjectEnvironment.handler)
  .openapi(getProjectSchema.route, getProjectSchema.handler)
  .openapi(searchOrganization.route, searchOrganization.handler);
