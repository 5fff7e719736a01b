// Rule filters of the inbound webhook gateway (issue 13): CEL expressions (a non-Turing-complete,
// side-effect-free language; @marcbachmann/cel-js interprets it without eval, so it runs on
// Workers) over the delivery. Checked when a rule is saved — a rule that cannot be parsed, or
// does not produce a boolean, is refused with the checker's message — and evaluated per delivery,
// where an error (a missing field) is "no match" with the error kept for the delivery log.
//
// Variables: `event` (the event type, e.g. "deployment_status"), `headers` (lower-case names),
// `payload` (the parsed JSON body), `integration` (the webhook: slug, provider), and `delivery`
// (all four as a map: `delivery.type`, …). CEL reserves `type` for its own type function, so the
// event type the reference calls `type` is `event` here, or `delivery.type`.
import { Environment } from "@marcbachmann/cel-js";
import { DomainError } from "../errors.ts";

/** The longest filter accepted (characters). */
export const MAX_FILTER_LENGTH = 4096;

/** What a filter sees of a delivery. */
export interface FilterInput {
  type: string;
  headers: Record<string, string>;
  payload: unknown;
  integration: { slug: string; provider: string };
}

export type FilterOutcome = { matched: boolean } | { matched: false; error: string };

const env = new Environment({
  limits: { maxAstNodes: 2000, maxDepth: 50, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 },
  homogeneousAggregateLiterals: false,
})
  .registerVariable("event", "string")
  .registerVariable("headers", "map")
  .registerVariable("payload", "dyn")
  .registerVariable("integration", "map")
  .registerVariable("delivery", "map");

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";

const invalid = (field: string, message: string): never => {
  throw new DomainError("VALIDATION_FAILED", `${field}: ${message}`, [
    { location: `json.${field}`, message },
  ]);
};

/** Parses and type-checks an expression; its result type. Throws a VALIDATION_FAILED naming `field`. */
function checkedType(expression: string, field: string): string {
  if (expression.length > MAX_FILTER_LENGTH) invalid(field, `at most ${MAX_FILTER_LENGTH} characters`);
  let result: { valid: boolean; type?: string; error?: { message: string } };
  try {
    result = env.check(expression) as typeof result;
  } catch (e) {
    return invalid(field, `not a valid CEL expression: ${firstLine(e)}`);
  }
  if (!result.valid) invalid(field, `not a valid CEL expression: ${firstLine(result.error?.message)}`);
  return result.type ?? "dyn";
}

/**
 * Checks a filter for saving: parses and type-checks it, and requires a boolean result. Throws a
 * VALIDATION_FAILED naming `field` with the checker's message.
 */
export function checkFilter(expression: string, field = "filter"): void {
  const type = checkedType(expression, field);
  if (type !== "bool" && type !== "dyn")
    invalid(field, `must evaluate to a boolean (true = the rule applies), not ${type}`);
}

/** Checks an action's value expression for saving (any result type; the action converts it). */
export function checkExpression(expression: string, field: string): void {
  checkedType(expression, field);
}

function contextOf(input: FilterInput) {
  return {
    event: input.type,
    headers: input.headers,
    payload: input.payload ?? null,
    integration: input.integration,
    delivery: {
      type: input.type,
      headers: input.headers,
      payload: input.payload ?? null,
      integration: input.integration,
    },
  };
}

/** Evaluates an action's value expression; the value, or the error (a missing field) as text. */
export function evaluateExpression(
  expression: string,
  input: FilterInput,
): { value: unknown } | { error: string } {
  try {
    return { value: env.evaluate(expression, contextOf(input)) as unknown };
  } catch (e) {
    return { error: firstLine(e) };
  }
}

/** Evaluates a (checked) filter against a delivery; never throws. */
export function evaluateFilter(expression: string, input: FilterInput): FilterOutcome {
  const context = contextOf(input);
  try {
    const value = env.evaluate(expression, context) as unknown;
    if (typeof value !== "boolean")
      return { matched: false, error: `the filter produced ${typeof value}, not a boolean` };
    return { matched: value };
  } catch (e) {
    return { matched: false, error: firstLine(e) };
  }
}
