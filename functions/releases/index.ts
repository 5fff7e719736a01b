import { createRouter } from "../../lib/http/app.ts";
import * as createRelease from "./routes/create_release.ts";
import * as createReleaseBlocker from "./routes/create_release_blocker.ts";
import * as getDeployment from "./routes/get_deployment.ts";
import * as getDeploymentMatrix from "./routes/get_deployment_matrix.ts";
import * as getRelease from "./routes/get_release.ts";
import * as getReleaseDrift from "./routes/get_release_drift.ts";
import * as listCurrentReleases from "./routes/list_current_releases.ts";
import * as listDeployments from "./routes/list_deployments.ts";
import * as listReleaseBlockers from "./routes/list_release_blockers.ts";
import * as listReleases from "./routes/list_releases.ts";
import * as publishRelease from "./routes/publish_release.ts";
import * as recordDeployment from "./routes/record_deployment.ts";
import * as resolveReleaseBlocker from "./routes/resolve_release_blocker.ts";

/** The `releases` route group: releases, their blockers, deployments and "what's deployed where". */
export const releases = createRouter()
  .openapi(listReleases.route, listReleases.handler)
  .openapi(createRelease.route, createRelease.handler)
  // Before /releases/{release_id}, which would otherwise be asked for "current" and "drift".
  .openapi(listCurrentReleases.route, listCurrentReleases.handler)
  .openapi(getReleaseDrift.route, getReleaseDrift.handler)
  .openapi(getRelease.route, getRelease.handler)
  .openapi(publishRelease.route, publishRelease.handler)
  .openapi(listReleaseBlockers.route, listReleaseBlockers.handler)
  .openapi(createReleaseBlocker.route, createReleaseBlocker.handler)
  .openapi(resolveReleaseBlocker.route, resolveReleaseBlocker.handler)
  .openapi(listDeployments.route, listDeployments.handler)
  .openapi(recordDeployment.route, recordDeployment.handler)
  .openapi(getDeployment.route, getDeployment.handler)
  .openapi(getDeploymentMatrix.route, getDeploymentMatrix.handler);
