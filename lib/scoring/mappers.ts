// One mapper per policy category: what value of the project a policy looks at, and the 0-100
// score it maps to (null when unmapped, with a note saying why).

import { hasRelationship } from "./condition.ts";
import { evaluateCondition } from "./condition_eval.ts";
import type { PolicyContribution, ScoringInput } from "./engine.ts";
import { ageMatches, parseAgeKey, parseRangeKey } from "./keys.ts";
import { DEFAULT_STATUS_SCORES, type PolicyInput } from "./policy.ts";
import { isMissing, lookup, own, scalarKey, toJsonValue, toNumber, toTime } from "./values.ts";

/** A policy's verdict on one project, before weighting. */
export type Mapped = Pick<
  PolicyContribution,
  "value" | "mapped_score" | "condition_result" | "matched_neighbours" | "note"
>;

type Of<C extends PolicyInput["category"]> = Extract<PolicyInput, { category: C }>;

const show = (v: unknown) => JSON.stringify(v);
const unmapped = (value: unknown, note: string): Mapped => ({ value, mapped_score: null, note });

function mapRange(map: Readonly<Record<string, number>>, value: unknown): Mapped {
  const x = toNumber(value);
  if (x === null) return unmapped(value, `value ${show(value)} is not a number`);
  for (const [key, score] of Object.entries(map)) {
    const r = parseRangeKey(key);
    if (!("error" in r) && r.lo <= x && x <= r.hi) return { value, mapped_score: score };
  }
  return unmapped(value, `value ${x} is in no range of range_score_map`);
}

function mapAttribute(p: Of<"attribute">, { project }: ScoringInput): Mapped {
  const value = toJsonValue(own(project.attributes, p.attribute_name));
  if (value === null) return unmapped(null, `attribute '${p.attribute_name}' is not set`);
  if (p.range_score_map) return mapRange(p.range_score_map, value);
  const key = scalarKey(value);
  const score = key === null ? null : lookup(p.value_score_map ?? {}, key);
  if (score === null) return unmapped(value, `value ${show(value)} is not in value_score_map`);
  return { value, mapped_score: score };
}

function mapPresence(p: Of<"presence">, { project }: ScoringInput): Mapped {
  const raw = own(project.attributes, p.attribute_name);
  return { value: toJsonValue(raw), mapped_score: isMissing(raw) ? p.missing_score : p.present_score };
}

function mapLink(p: Of<"link_presence">, { project }: ScoringInput): Mapped {
  const url = own(project.links, p.link_slug);
  const present = typeof url === "string" && url.trim() !== "";
  return { value: present ? url : null, mapped_score: present ? p.present_score : p.missing_score };
}

function mapAge(p: Of<"age">, { project }: ScoringInput, now: Date): Mapped {
  const value = toJsonValue(own(project.attributes, p.attribute_name));
  if (value === null) return unmapped(null, `attribute '${p.attribute_name}' is not set`);
  const t = toTime(value);
  if (t === null) return unmapped(value, `value ${show(value)} is not an ISO 8601 date or date-time`);
  const elapsed = (now.getTime() - t) / 1000;
  for (const [key, score] of Object.entries(p.age_score_map)) {
    const rule = parseAgeKey(key);
    if (!("error" in rule) && ageMatches(rule, elapsed)) return { value, mapped_score: score };
  }
  return unmapped(value, `no rule of age_score_map matches an age of ${Math.floor(elapsed)}s`);
}

function mapDeployment(p: Of<"deployment_status">, { project }: ScoringInput): Mapped {
  // The latest recorded deployment in the environment (reference §6), not an edge property.
  const raw = own(project.deployments, p.environment_slug);
  const status = typeof raw === "string" && raw.trim() !== "" ? raw : null;
  const map = { ...DEFAULT_STATUS_SCORES, ...p.status_score_map };
  const missing = lookup(map, "missing");
  if (status === null) return { value: null, mapped_score: missing };
  const score = lookup(map, status);
  if (score !== null) return { value: status, mapped_score: score };
  return {
    value: status,
    mapped_score: missing,
    note: `status '${status}' is not in status_score_map; scored as missing`,
  };
}

function mapCondition(p: Of<"condition">, { project, neighbours }: ScoringInput): Mapped {
  const { result, matched_neighbours } = evaluateCondition(p.condition, project, neighbours);
  return {
    value: result,
    mapped_score: result ? p.true_score : p.false_score,
    condition_result: result,
    ...(hasRelationship(p.condition) ? { matched_neighbours } : {}),
  };
}

/** Maps one (valid) policy for one project. */
export function mapPolicy(policy: PolicyInput, input: ScoringInput, now: Date): Mapped {
  switch (policy.category) {
    case "attribute":
      return mapAttribute(policy, input);
    case "presence":
      return mapPresence(policy, input);
    case "link_presence":
      return mapLink(policy, input);
    case "age":
      return mapAge(policy, input, now);
    case "deployment_status":
      return mapDeployment(policy, input);
    case "condition":
      return mapCondition(policy, input);
  }
}
