import { createRouter } from "../../lib/http/app.ts";
import * as addTeamMember from "./routes/add_team_member.ts";
import * as createEnvironment from "./routes/create_environment.ts";
import * as createLinkDefinition from "./routes/create_link_definition.ts";
import * as createProjectType from "./routes/create_project_type.ts";
import * as createTeam from "./routes/create_team.ts";
import * as deleteEnvironment from "./routes/delete_environment.ts";
import * as deleteLinkDefinition from "./routes/delete_link_definition.ts";
import * as deleteProjectType from "./routes/delete_project_type.ts";
import * as deleteTeam from "./routes/delete_team.ts";
import * as getEnvironment from "./routes/get_environment.ts";
import * as getLinkDefinition from "./routes/get_link_definition.ts";
import * as getProjectType from "./routes/get_project_type.ts";
import * as getTeam from "./routes/get_team.ts";
import * as listEnvironments from "./routes/list_environments.ts";
import * as listLinkDefinitions from "./routes/list_link_definitions.ts";
import * as listProjectTypes from "./routes/list_project_types.ts";
import * as listTeamMembers from "./routes/list_team_members.ts";
import * as listTeamProjects from "./routes/list_team_projects.ts";
import * as listTeams from "./routes/list_teams.ts";
import * as removeTeamMember from "./routes/remove_team_member.ts";
import * as updateEnvironment from "./routes/update_environment.ts";
import * as updateLinkDefinition from "./routes/update_link_definition.ts";
import * as updateProjectType from "./routes/update_project_type.ts";
import * as updateTeam from "./routes/update_team.ts";

/**
 * The `catalog` route group: an organization's teams (with members and owned projects),
 * environments, project types and link definitions, all under `/organizations/{org}/…`.
 */
export const catalog = createRouter()
  .openapi(listTeams.route, listTeams.handler)
  .openapi(createTeam.route, createTeam.handler)
  .openapi(getTeam.route, getTeam.handler)
  .openapi(updateTeam.route, updateTeam.handler)
  .openapi(deleteTeam.route, deleteTeam.handler)
  .openapi(listTeamMembers.route, listTeamMembers.handler)
  .openapi(addTeamMember.route, addTeamMember.handler)
  .openapi(removeTeamMember.route, removeTeamMember.handler)
  .openapi(listTeamProjects.route, listTeamProjects.handler)
  .openapi(listEnvironments.route, listEnvironments.handler)
  .openapi(createEnvironment.route, createEnvironment.handler)
  .openapi(getEnvironment.route, getEnvironment.handler)
  .openapi(updateEnvironment.route, updateEnvironment.handler)
  .openapi(deleteEnvironment.route, deleteEnvironment.handler)
  .openapi(listProjectTypes.route, listProjectTypes.handler)
  .openapi(createProjectType.route, createProjectType.handler)
  .openapi(getProjectType.route, getProjectType.handler)
  .openapi(updateProjectType.route, updateProjectType.handler)
  .openapi(deleteProjectType.route, deleteProjectType.handler)
  .openapi(listLinkDefinitions.route, listLinkDefinitions.handler)
  .openapi(createLinkDefinition.route, createLinkDefinition.handler)
  .openapi(getLinkDefinition.route, getLinkDefinition.handler)
  .openapi(updateLinkDefinition.route, updateLinkDefinition.handler)
  .openapi(deleteLinkDefinition.route, deleteLinkDefinition.handler);
