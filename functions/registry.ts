import type { OpenAPIHono } from "@hono/zod-openapi";
import { blueprintFingerprint, withBlueprintSchemas } from "../lib/blueprints/openapi.ts";
import { apiPrefix, type Env } from "../lib/env.ts";
import type { AppEnv } from "../lib/http/app.ts";
import { createApp } from "../lib/http/app.ts";
import {
  addBodyErrorResponses,
  addRequestExamples,
  applyPasswordPolicy,
  applyVersionFormat,
  type PasswordPolicy,
} from "../lib/http/openapi_document.ts";
import { VERSION } from "../lib/version.ts";
import { admin } from "./admin/index.ts";
import { apiKeys } from "./api-keys/index.ts";
import { auditLog } from "./audit-log/index.ts";
import { auth } from "./auth/index.ts";
import { blueprints } from "./blueprints/index.ts";
import { catalog } from "./catalog/index.ts";
import { graph } from "./graph/index.ts";
import { mcp } from "./mcp/index.ts";
import { oauth, oauthWellKnown } from "./oauth/index.ts";
import { oplog } from "./oplog/index.ts";
import { orgs } from "./orgs/index.ts";
import { projects } from "./projects/index.ts";
import { releases } from "./releases/index.ts";
import { scoring } from "./scoring/index.ts";
import { serviceAccounts } from "./service-accounts/index.ts";
import { site } from "./site/index.ts";
import { rootStatus, status } from "./status/index.ts";
import { subscriptions } from "./subscriptions/index.ts";
import { webhookReceiver } from "./webhook-receiver/index.ts";
import { webhooks } from "./webhooks/index.ts";

/** Every route group mounted under the API prefix, in mount order. */
export const apiGroups = {
  status,
  auth,
  oauth,
  admin,
  serviceAccounts,
  apiKeys,
  orgs,
  catalog,
  projects,
  releases,
  blueprints,
  graph,
  oplog,
  auditLog,
  scoring,
  subscriptions,
  webhooks,
  webhookReceiver,
} as const;

/** The OpenAPI document's top-level information. */
export const openApiInfo = {
  openapi: "3.1.0",
  info: {
    title: "Imbi API",
    version: VERSION,
    description:
      "Imbi is a DevOps service-management platform: the source of truth for an organisation's services, " +
      "their owners, dependencies, deployments and health. Every operation lists the permission it needs " +
      "in `x-imbi-permission`; permissions are evaluated in the organization of the request.",
  },
};

/**
 * The last steps of every published document (checked-in and served): the installation's password
 * policy on the password fields and a request example on every operation (in place).
 */
export function finishDocument<D extends Record<string, unknown>>(
  doc: D,
  policy: PasswordPolicy & Pick<Env, "IMBI_RELEASES_VERSION_FORMAT">,
): D {
  applyPasswordPolicy(doc, policy);
  applyVersionFormat(doc, policy.IMBI_RELEASES_VERSION_FORMAT);
  addBodyErrorResponses(doc);
  addRequestExamples(doc);
  return doc;
}

/**
 * Mounts every group under one router: `/`, `/status`, `/openapi.json`, `/docs` and `/static/*`
 * at the root, the API groups under the prefix from IMBI_API_URL. Used by both hosts and by
 * `npm run openapi`.
 */
export function buildRouter(env: Pick<Env, "IMBI_API_URL">): OpenAPIHono<AppEnv> {
  const prefix = apiPrefix(env);
  const router = createApp();
  router.route("/", rootStatus);
  // The MCP server (issue 11) at the host root whatever the API prefix, like the OAuth discovery.
  router.route("/", mcp);
  // RFC 8414 / RFC 9728 metadata at the host root, whatever the API prefix (issue 11).
  router.route("/", oauthWellKnown);
  for (const group of Object.values(apiGroups)) router.route(prefix, group);
  // Isolate-safe caches: the base document comes from constant route definitions; the served one
  // is rebuilt whenever the blueprints' fingerprint changes.
  let base: Record<string, unknown> | undefined;
  let served: { fingerprint: string; doc: Record<string, unknown> } | undefined;
  router.get("/openapi.json", async (c) => {
    base ??= router.getOpenAPI31Document(openApiInfo) as unknown as Record<string, unknown>;
    const { graph, log } = c.get("services");
    try {
      const fingerprint = await blueprintFingerprint(graph);
      if (served?.fingerprint !== fingerprint)
        served = { fingerprint, doc: finishDocument(await withBlueprintSchemas(base, graph), c.env) };
      return c.json(served.doc, 200);
    } catch (e) {
      // The static document is still correct, just without this installation's custom attributes.
      log.warn("openapi: blueprints unavailable, serving the core document", { error: (e as Error).message });
      return c.json(finishDocument(structuredClone(base), c.env), 200);
    }
  });
  // `/`, `/docs` (Swagger UI) and `/static/*`, the files both use.
  router.route("/", site);
  return router;
}
