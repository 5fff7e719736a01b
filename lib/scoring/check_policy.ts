// The semantic checks of a scoring policy that zod cannot express: map key syntax, range overlaps,
// the attribute category's one-map rule and the condition tree's shape. Policy schemas run these
// as a refinement; the engine runs them again to skip stored policies that no longer pass.
import type { FieldError } from "../errors.ts";
import { conditionIssues, type PolicyIssue } from "./condition.ts";
import { parseAgeKey, parseRangeKey, type Range, rangeOverlaps } from "./keys.ts";
import type { PolicyInput } from "./policy.ts";

function rangeIssues(map: Readonly<Record<string, number>>): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const ranges: Range[] = [];
  for (const key of Object.keys(map)) {
    const r = parseRangeKey(key);
    if ("error" in r) issues.push({ path: ["range_score_map", key], message: r.error });
    else ranges.push(r);
  }
  for (const { key, other } of rangeOverlaps(ranges))
    issues.push({
      path: ["range_score_map", key],
      message: `range '${key}' overlaps '${other}'; bounds are inclusive, so ranges must not share an endpoint (e.g. 0..9.99 and 10..20)`,
    });
  return issues;
}

function attributeIssues(doc: Extract<PolicyInput, { category: "attribute" }>): PolicyIssue[] {
  const { value_score_map: values, range_score_map: ranges } = doc;
  if (values && ranges)
    return [{ path: ["range_score_map"], message: "give value_score_map or range_score_map, not both" }];
  if (!values && !ranges)
    return [{ path: ["value_score_map"], message: "give value_score_map or range_score_map" }];
  if (values && Object.keys(values).length === 0)
    return [{ path: ["value_score_map"], message: "map at least one value to a score" }];
  if (ranges && Object.keys(ranges).length === 0)
    return [{ path: ["range_score_map"], message: "map at least one range to a score" }];
  return ranges ? rangeIssues(ranges) : [];
}

function ageIssues(map: Readonly<Record<string, number>>): PolicyIssue[] {
  if (Object.keys(map).length === 0)
    return [{ path: ["age_score_map"], message: "give at least one age rule" }];
  return Object.keys(map).flatMap((key) => {
    const r = parseAgeKey(key);
    return "error" in r ? [{ path: ["age_score_map", key], message: r.error }] : [];
  });
}

/** The semantic problems of a shape-valid policy, with paths relative to the document. */
export function policyIssues(doc: PolicyInput): PolicyIssue[] {
  switch (doc.category) {
    case "attribute":
      return attributeIssues(doc);
    case "age":
      return ageIssues(doc.age_score_map);
    case "condition":
      return conditionIssues(doc.condition);
    case "presence":
    case "link_presence":
    case "deployment_status":
      return [];
  }
}

/**
 * The semantic problems of a policy that already parsed (range keys, overlaps and lo < hi, age
 * keys, condition depth and nesting, exactly one map for `attribute`), as field errors located
 * under `target` (e.g. `json.range_score_map.10..5`). An empty array means the policy is valid.
 * The policy schemas already run these checks; call this for documents that skipped them.
 */
export function checkPolicy(doc: PolicyInput, target = "json"): FieldError[] {
  return policyIssues(doc).map((i) => ({
    location: [target, ...i.path.map(String)].join("."),
    message: i.message,
  }));
}
