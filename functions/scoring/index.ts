import { createRouter } from "../../lib/http/app.ts";
import * as createScoringPolicy from "./routes/create_scoring_policy.ts";
import * as deleteScoringPolicy from "./routes/delete_scoring_policy.ts";
import * as getProjectScore from "./routes/get_project_score.ts";
import * as getProjectScoreHistory from "./routes/get_project_score_history.ts";
import * as getProjectScoreTrend from "./routes/get_project_score_trend.ts";
import * as getScoreLevels from "./routes/get_score_levels.ts";
import * as getScoreRollup from "./routes/get_score_rollup.ts";
import * as getScoringPolicy from "./routes/get_scoring_policy.ts";
import * as getTeamScoreHistory from "./routes/get_team_score_history.ts";
import * as listScoringPolicies from "./routes/list_scoring_policies.ts";
import * as rescoreProjects from "./routes/rescore_projects.ts";
import * as setScoreLevels from "./routes/set_score_levels.ts";
import * as updateScoringPolicy from "./routes/update_scoring_policy.ts";

/** The `scoring` route group: policies, rescoring, per-project scores and history, org rollups and levels. */
export const scoring = createRouter()
  .openapi(listScoringPolicies.route, listScoringPolicies.handler)
  .openapi(createScoringPolicy.route, createScoringPolicy.handler)
  .openapi(getScoringPolicy.route, getScoringPolicy.handler)
  .openapi(updateScoringPolicy.route, updateScoringPolicy.handler)
  .openapi(deleteScoringPolicy.route, deleteScoringPolicy.handler)
  .openapi(rescoreProjects.route, rescoreProjects.handler)
  .openapi(getProjectScore.route, getProjectScore.handler)
  .openapi(getProjectScoreHistory.route, getProjectScoreHistory.handler)
  .openapi(getProjectScoreTrend.route, getProjectScoreTrend.handler)
  .openapi(getScoreRollup.route, getScoreRollup.handler)
  .openapi(getTeamScoreHistory.route, getTeamScoreHistory.handler)
  .openapi(getScoreLevels.route, getScoreLevels.handler)
  .openapi(setScoreLevels.route, setScoreLevels.handler);
