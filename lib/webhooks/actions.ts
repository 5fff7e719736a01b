// The built-in actions of inbound webhook rules (issue 13; reference §3 "Built-in actions"). Each
// turns a delivery into calls of the same verbs the HTTP routes call, with the context of the
// webhook's service account — so authorization, audit rows, change events, outbound webhooks and
// rescoring happen exactly as for any other door. An action answers what it did ("succeeded"),
// or why it did nothing ("skipped": the delivery does not carry what it needs, the release already
// exists); a verb's refusal is thrown and recorded by the processor.

import { updateProject } from "../catalog/project_verbs.ts";
import type { Ctx } from "../core/ctx.ts";
import { DomainError } from "../errors.ts";
import type { JsonPatch } from "../json_patch.ts";
import { createOperationEntry } from "../oplog/entry_verbs.ts";
import { recordDeployment } from "../releases/deployment_verbs.ts";
import { createRelease, createReleaseBlocker, publishRelease } from "../releases/release_verbs.ts";
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from "../releases/releases.ts";
import { findUnsafeText, unsafeTextReason } from "../text.ts";
import { githubDeploymentStatus } from "./delivery.ts";
import { evaluateExpression, type FilterInput } from "./filters.ts";
import { configOf, GITHUB_STATE, type Rule } from "./rules.ts";

/** What an action did when it did not fail. */
export interface ActionResult {
  status: "succeeded" | "skipped";
  detail: string;
}

/** What an action gets besides its rule. */
export interface ActionInput {
  ctx: Ctx;
  /** The matched project's id. */
  project: string;
  delivery: FilterInput;
  /** Who sent it, by the webhook's sender selector (performed_by of deployments and entries). */
  sender: string | undefined;
}

const skip = (detail: string): ActionResult => ({ status: "skipped", detail });
const done = (detail: string): ActionResult => ({ status: "succeeded", detail });

/** A JSON value from CEL's (BigInt integers become numbers; maps become objects). */
function jsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), jsonValue(x)]));
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v && typeof v === "object" && !(v instanceof Date))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

/** An expression's value as text; undefined when it is absent (null, or a missing field). */
function text(expression: string | undefined, d: FilterInput): string | undefined {
  if (expression === undefined) return undefined;
  const r = evaluateExpression(expression, d);
  if ("error" in r) return undefined;
  const v = jsonValue(r.value);
  if (v === null || v === undefined || v === "") return undefined;
  const t = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  // Text the stores cannot keep (NUL, lone surrogates) is as good as absent.
  return unsafeTextReason(t) ? undefined : t;
}

/** A required value, or the reason the action skips. */
function required(expression: string, d: FilterInput, name: string): string | ActionResult {
  const r = evaluateExpression(expression, d);
  if ("error" in r) return skip(`${name}: ${r.error}`);
  const v = text(expression, d);
  return v === undefined ? skip(`${name} is empty`) : v;
}

const isResult = (v: unknown): v is ActionResult => typeof v === "object" && v !== null && "status" in v;

/** A status in Imbi's vocabulary, or GitHub's mapped to it; undefined when unknown. */
function statusOf(value: string | undefined): DeploymentStatus | undefined {
  if (value === undefined) return undefined;
  if ((DEPLOYMENT_STATUSES as readonly string[]).includes(value)) return value as DeploymentStatus;
  return githubDeploymentStatus(value);
}

/** Treats the verb's 404/409 as the expected "nothing to do" answers (the reference does too). */
async function expected<T>(
  run: () => Promise<T>,
  codes: readonly string[],
  ok: (v: T) => ActionResult,
): Promise<ActionResult> {
  try {
    return ok(await run());
  } catch (e) {
    if (e instanceof DomainError && codes.includes(e.code)) return skip(e.message);
    throw e;
  }
}

/** Runs one rule's action for one project. */
export async function runAction(rule: Rule, a: ActionInput): Promise<ActionResult> {
  const { ctx, project, delivery: d } = a;
  switch (rule.action) {
    case "update_project": {
      const c = configOf({ ...rule, action: "update_project" });
      const patch: JsonPatch = [];
      for (const f of c.fields) {
        const r = evaluateExpression(f.value, d);
        const value = "error" in r ? undefined : jsonValue(r.value);
        if (value !== null && value !== undefined && !findUnsafeText(value, f.path))
          patch.push({ op: "add", path: f.path, value });
      }
      if (patch.length === 0) return skip("no field's value is in the delivery");
      await updateProject(ctx, { id: project, patch });
      return done(`updated ${patch.map((p) => p.path).join(", ")}`);
    }
    case "create_release": {
      const c = configOf({ ...rule, action: "create_release" });
      const version = required(c.version, d, "version");
      if (isResult(version)) return version;
      return expected(
        () =>
          createRelease(ctx, {
            project,
            version,
            committish: text(c.committish, d) ?? null,
            title: text(c.title, d) ?? `Release ${version}`,
            notes: text(c.notes, d) ?? "",
          }),
        ["CONFLICT"],
        (r) => done(`created release ${r.version}`),
      );
    }
    case "record_deployment": {
      const c = configOf({ ...rule, action: "record_deployment" });
      const environment = required(c.environment, d, "environment");
      if (isResult(environment)) return environment;
      const raw = text(c.status ?? GITHUB_STATE, d);
      const status = statusOf(raw);
      if (!status) return skip(`status '${raw ?? ""}' is not one Imbi records`);
      const version = text(c.version, d);
      const ref = text(c.ref, d);
      if (!version && !ref) return skip("neither a version nor a ref is in the delivery");
      const r = await recordDeployment(ctx, {
        project,
        environment,
        status,
        version,
        ref,
        external_run_id: text(c.external_run_id, d),
        external_run_url: text(c.external_run_url, d),
        note: text(c.note, d),
        performed_by: a.sender,
      });
      return done(`${r.created ? "recorded" : "updated"} deployment ${r.deployment.id} (${status})`);
    }
    case "publish_release": {
      const c = configOf({ ...rule, action: "publish_release" });
      const status = statusOf(text(c.status ?? GITHUB_STATE, d));
      if (status !== "success") return skip(`publishes on success, the status is ${status ?? "unknown"}`);
      const version = required(c.version, d, "version");
      if (isResult(version)) return version;
      return expected(
        () => publishRelease(ctx, { project, release: version, prerelease: c.prerelease ?? false }),
        ["NOT_FOUND", "CONFLICT"],
        () => done(`published release ${version}`),
      );
    }
    case "block_release": {
      const c = configOf({ ...rule, action: "block_release" });
      const status = statusOf(text(c.status ?? GITHUB_STATE, d));
      if (status !== "failed") return skip(`blocks on failure, the status is ${status ?? "unknown"}`);
      const version = required(c.version, d, "version");
      if (isResult(version)) return version;
      const reason = required(c.reason, d, "reason");
      if (isResult(reason)) return reason;
      return expected(
        () => createReleaseBlocker(ctx, { project, release: version, reason: reason.slice(0, 500) }),
        ["NOT_FOUND"],
        (b) => done(`blocked release ${version} (${b.id})`),
      );
    }
    case "log_operation": {
      const c = configOf({ ...rule, action: "log_operation" });
      const environment = required(c.environment, d, "environment");
      if (isResult(environment)) return environment;
      const description = required(c.description, d, "description");
      if (isResult(description)) return description;
      const entry = await createOperationEntry(ctx, {
        project_id: project,
        environment_slug: environment,
        entry_type: c.entry_type ?? "Deployed",
        description: description.slice(0, 4096),
        version: text(c.version, d)?.slice(0, 256) ?? null,
        link: text(c.link, d) ?? null,
        performed_by: a.sender ?? null,
      });
      return done(`logged ${entry.id}`);
    }
  }
}
