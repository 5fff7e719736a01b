import { createRouter } from "../../lib/http/app.ts";
import * as createPolicy from "./routes/create_policy.ts";
import * as deletePolicy from "./routes/delete_policy.ts";
import * as getPolicy from "./routes/get_policy.ts";
import * as getProjectScore from "./routes/get_project_score.ts";
import * as getScoreHistory from "./routes/get_score_history.ts";
import * as getScoreLevels from "./routes/get_score_levels.ts";
import * as getScoreRollup from "./routes/get_score_rollup.ts";
import * as getScoreTrend from "./routes/get_score_trend.ts";
import * as getTeamScoreHistory from "./routes/get_team_score_history.ts";
import * as listPolicies from "./routes/list_policies.ts";
import * as rescore from "./routes/rescore.ts";
import * as setScoreLevels from "./routes/set_score_levels.ts";
import * as updatePolicy from "./routes/update_policy.ts";

/** The `scoring` route group: policies, rescoring, per-project scores and history, org rollups and levels. */
export const scoring = createRouter()
  .openapi(listPolicies.route, listPolicies.handler)
  .openapi(createPolicy.route, createPolicy.handler)
  .openapi(getPolicy.route, getPolicy.handler)
  .openapi(updatePolicy.route, updatePolicy.handler)
  .openapi(deletePolicy.route, deletePolicy.handler)
  .openapi(rescore.route, rescore.handler)
  .openapi(getProjectScore.route, getProjectScore.handler)
  .openapi(getScoreHistory.route, getScoreHistory.handler)
  .openapi(getScoreTrend.route, getScoreTrend.handler)
  .openapi(getScoreRollup.route, getScoreRollup.handler)
  .openapi(getTeamScoreHistory.route, getTeamScoreHistory.handler)
  .openapi(getScoreLevels.route, getScoreLevels.handler)
  .openapi(setScoreLevels.route, setScoreLevels.handler);
