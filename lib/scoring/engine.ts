// Project health scoring: the weighted average of the applicable policies' mapped scores, with a
// per-policy breakdown. Pure: callers load the project, its neighbours and the policies.
import { mapPolicy } from "./mappers.ts";
import { checkPolicy, policyAppliesTo, type ScoringPolicy, ScoringPolicySchema } from "./policy.ts";

/** A project as scored: its core fields, links, deployments and attributes. */
export interface ScoringSubject {
  id: string;
  slug: string;
  name: string;
  /** Team slug. */
  team: string;
  project_types: string[];
  /** Link-definition slug → URL. */
  links: Record<string, string>;
  /** Environment slug → the properties of the project's DEPLOYED_IN edge to it (e.g. `status`). */
  environments: Record<string, Record<string, unknown>>;
  /** Environment slug → the status of the project's latest deployment there (lib/releases). */
  deployments: Record<string, string>;
  /** Blueprint attributes plus core scalars: name, slug, description, team, created_at, updated_at, archived. */
  attributes: Record<string, unknown>;
}

/** Everything one project's score is computed from. */
export interface ScoringInput {
  project: ScoringSubject;
  /**
   * The attribute names the project's types define (blueprint properties and core scalars);
   * attribute, presence and age policies naming anything else are skipped. Null: skip none.
   */
  knownAttributes: ReadonlySet<string> | null;
  /** Projects one DEPENDS_ON hop away: those this one depends on (outgoing) and its dependents. */
  neighbours: { outgoing: ScoringSubject[]; incoming: ScoringSubject[] };
}

/** A named score band; a project gets the highest level whose `min_score` it reaches. */
export interface ScoreLevel {
  name: string;
  min_score: number;
}

/** One policy's line of the breakdown. */
export interface PolicyContribution {
  policy: string;
  name: string;
  category: string;
  weight: number;
  /** The input value looked at, JSON-able; null if missing. */
  value: unknown;
  /** 0-100, or null when the value is missing or unmapped (it then counts as 0). */
  mapped_score: number | null;
  /** mapped_score × weight / total_weight, rounded to 2 decimals; 0 when unmapped. */
  contribution: number;
  condition_result?: boolean;
  /** Ids of the neighbours that matched a relationship's `where` (condition policies with one). */
  matched_neighbours?: string[];
  /** Why the value is unmapped, e.g. "value \"x\" is not in value_score_map". */
  note?: string;
}

/** A project's score, level and breakdown. */
export interface ScoreResult {
  /** 0-100 with 2 decimals; null when no policy applies. */
  score: number | null;
  level: string | null;
  breakdown: {
    /** Ordered by priority (ascending), then slug. */
    policies: PolicyContribution[];
    total_weight: number;
    /** Applicable policies that were not scored: invalid, or naming an attribute the types lack. */
    skipped: { policy: string; reason: string }[];
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const byPriority = (a: ScoringPolicy, b: ScoringPolicy) =>
  a.priority - b.priority || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
const ATTRIBUTE_CATEGORIES = new Set(["attribute", "presence", "age"]);

type Verdict = { policy: ScoringPolicy; invalid: null } | { policy: null; invalid: string };

// One verdict per policy object: a batch scores many projects with the same loaded policies, so
// each is parsed and checked once. Weak keys hold nothing once the caller drops its policies, and a
// verdict depends only on its object (loaded policies are not mutated), so it is isolate-safe.
const verdicts = new WeakMap<object, Verdict>();

/**
 * Re-parses a stored document, so an older one gets today's defaults and a malformed or
 * semantically invalid one is skipped instead of breaking the whole computation.
 */
function verdictOf(raw: ScoringPolicy): Verdict {
  const cached = verdicts.get(raw);
  if (cached) return cached;
  const parsed = ScoringPolicySchema.safeParse(raw);
  const problems = parsed.success
    ? checkPolicy(parsed.data, "policy").map((p) => `${p.location}: ${p.message}`)
    : parsed.error.issues.map((i) => `${["policy", ...i.path].join(".")}: ${i.message}`);
  const verdict: Verdict =
    parsed.success && problems.length === 0
      ? { policy: parsed.data, invalid: null }
      : { policy: null, invalid: `invalid policy: ${problems.join("; ")}` };
  verdicts.set(raw, verdict);
  return verdict;
}

/** Applicability of a document that does not parse, read leniently, so it is reported where it applies. */
function rawApplies(raw: ScoringPolicy, projectTypes: readonly string[]): boolean {
  const targets: unknown = raw.targets;
  const hit =
    !Array.isArray(targets) || targets.length === 0 || targets.some((t) => projectTypes.includes(t));
  return raw.enabled !== false && hit;
}

/** Attribute, presence and age policies need their attribute to be defined for the project's types. */
function unknownAttribute(policy: ScoringPolicy, known: ReadonlySet<string> | null): string | null {
  if (!known || !ATTRIBUTE_CATEGORIES.has(policy.category) || !("attribute_name" in policy)) return null;
  const name = policy.attribute_name;
  return known.has(name) ? null : `attribute '${name}' is not defined for this project's types`;
}

/** Splits the policies into the ones to score (ordered) and the applicable ones skipped. */
function selectPolicies(input: ScoringInput, policies: readonly ScoringPolicy[]) {
  const types = input.project.project_types;
  const usable: ScoringPolicy[] = [];
  const skipped: ScoreResult["breakdown"]["skipped"] = [];
  for (const raw of policies) {
    const { policy, invalid } = verdictOf(raw);
    if (policy === null) {
      if (rawApplies(raw, types)) skipped.push({ policy: String(raw.slug), reason: invalid });
      continue;
    }
    if (!policyAppliesTo(policy, types)) continue;
    const reason = unknownAttribute(policy, input.knownAttributes);
    if (reason === null) usable.push(policy);
    else skipped.push({ policy: policy.slug, reason });
  }
  return { usable: usable.sort(byPriority), skipped };
}

/**
 * Scores a project: Σ(mapped × weight) / Σ(weight) over the applicable policies (enabled, and
 * targeting all types or one of the project's), an unmapped value counting as 0. A total weight of
 * 0 scores 0; the score is clamped to 0-100 and rounded to 2 decimals. Invalid policies, and
 * attribute/presence/age policies naming an attribute outside `knownAttributes`, are skipped and
 * listed. No policy left → score and level null.
 */
export function scoreProject(
  input: ScoringInput,
  policies: readonly ScoringPolicy[],
  opts: { now: Date; levels?: readonly ScoreLevel[] },
): ScoreResult {
  const { usable, skipped } = selectPolicies(input, policies);
  const total = usable.reduce((s, p) => s + p.weight, 0);
  const rows = usable.map((p): PolicyContribution => {
    const m = mapPolicy(p, input, opts.now);
    const part = total === 0 ? 0 : ((m.mapped_score ?? 0) * p.weight) / total;
    return {
      policy: p.slug,
      name: p.name,
      category: p.category,
      weight: p.weight,
      ...m,
      contribution: round2(part),
    };
  });
  const breakdown = { policies: rows, total_weight: total, skipped };
  if (usable.length === 0) return { score: null, level: null, breakdown };
  const sum = rows.reduce((s, r) => s + (r.mapped_score ?? 0) * r.weight, 0);
  const score = total === 0 ? 0 : round2(Math.min(100, Math.max(0, sum / total)));
  return { score, level: levelFor(score, opts.levels), breakdown };
}

/** The highest level whose `min_score` is ≤ score; null for a null score or no such level. */
export function levelFor(score: number | null, levels: readonly ScoreLevel[] | undefined): string | null {
  if (score === null || !levels) return null;
  let best: ScoreLevel | null = null;
  for (const l of levels) if (l.min_score <= score && (!best || l.min_score > best.min_score)) best = l;
  return best?.name ?? null;
}
