// Scoring policy forms without React: the categories and their fields (docs/scoring-guide.md),
// turning a policy into form values and back, score maps as "key = score" lines, and the JSON
// Patch that turns the stored policy into the edited one.

export const CATEGORIES = [
  {
    value: "attribute",
    label: "Attribute value",
    help: "Maps an attribute's value (or a numeric range) to a score.",
  },
  { value: "presence", label: "Attribute presence", help: "Scores whether an attribute is set." },
  {
    value: "link_presence",
    label: "Link presence",
    help: "Scores whether the project has a link of a kind.",
  },
  { value: "age", label: "Age of a date", help: "Scores how long ago a date attribute was." },
  {
    value: "deployment_status",
    label: "Deployment status",
    help: "Scores the deployment in an environment.",
  },
  {
    value: "condition",
    label: "Condition",
    help: "Scores whether a condition tree over attributes and neighbours holds.",
  },
] as const;
export type Category = (typeof CATEGORIES)[number]["value"];

export type PolicyDoc = Record<string, unknown> & { slug?: string; category?: string };

export interface PolicyForm {
  slug: string;
  name: string;
  description: string;
  weight: string;
  priority: string;
  enabled: boolean;
  targets: string;
  category: Category;
  attribute_name: string;
  link_slug: string;
  environment_slug: string;
  /** attribute: value or range map */
  map_kind: "value" | "range";
  map: string;
  present_score: string;
  missing_score: string;
  true_score: string;
  false_score: string;
  condition: string;
}

export function emptyForm(category: Category = "presence"): PolicyForm {
  return {
    slug: "",
    name: "",
    description: "",
    weight: "10",
    priority: "0",
    enabled: true,
    targets: "",
    category,
    attribute_name: "",
    link_slug: "",
    environment_slug: "",
    map_kind: "value",
    map: "",
    present_score: "100",
    missing_score: "0",
    true_score: "100",
    false_score: "0",
    condition: '{\n  "type": "attribute",\n  "attribute": "tier",\n  "op": "ge",\n  "value": 2\n}',
  };
}

const str = (v: unknown, d = "") => (v === undefined || v === null ? d : String(v));
export const mapToLines = (m: unknown) =>
  m && typeof m === "object"
    ? Object.entries(m as Record<string, unknown>)
        .map(([k, v]) => `${k} = ${v}`)
        .join("\n")
    : "";

/** "key = score" lines to an object; a line without "=" or a non-numeric score throws. */
export function linesToMap(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const at = line.lastIndexOf("=");
    const key = at > 0 ? line.slice(0, at).trim() : "";
    const value = at > 0 ? Number(line.slice(at + 1).trim()) : Number.NaN;
    if (!key || !Number.isInteger(value))
      throw new Error(`Line ${i + 1}: write "value = score" (a whole number 0-100)`);
    out[key] = value;
  });
  return out;
}

export function toForm(p: PolicyDoc): PolicyForm {
  const category = (p.category as Category) ?? "presence";
  const f = emptyForm(category);
  const mapSource =
    category === "attribute"
      ? (p.value_score_map ?? p.range_score_map)
      : category === "age"
        ? p.age_score_map
        : category === "deployment_status"
          ? p.status_score_map
          : undefined;
  return {
    ...f,
    slug: str(p.slug),
    name: str(p.name),
    description: str(p.description),
    weight: str(p.weight, "10"),
    priority: str(p.priority, "0"),
    enabled: p.enabled !== false,
    targets: Array.isArray(p.targets) ? p.targets.join(", ") : "",
    attribute_name: str(p.attribute_name),
    link_slug: str(p.link_slug),
    environment_slug: str(p.environment_slug),
    map_kind: p.range_score_map ? "range" : "value",
    map: mapToLines(mapSource),
    present_score: str(p.present_score, f.present_score),
    missing_score: str(p.missing_score, f.missing_score),
    true_score: str(p.true_score, f.true_score),
    false_score: str(p.false_score, f.false_score),
    condition: p.condition ? JSON.stringify(p.condition, null, 2) : f.condition,
  };
}

/** Thrown for input the browser can tell is wrong before asking the server (keyed by field). */
export class FormError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const int = (v: string) => (v.trim() === "" ? undefined : Number(v));

/** The policy document the form describes (what POST takes; PATCH gets the difference). */
export function fromForm(f: PolicyForm): PolicyDoc {
  const doc: PolicyDoc = {
    name: f.name.trim(),
    description: f.description,
    weight: int(f.weight),
    priority: int(f.priority),
    enabled: f.enabled,
    targets: f.targets
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    category: f.category,
  };
  if (f.slug.trim()) doc.slug = f.slug.trim();
  const map = (field: string) => {
    try {
      return linesToMap(f.map);
    } catch (e) {
      throw new FormError(field, (e as Error).message);
    }
  };
  switch (f.category) {
    case "attribute":
      doc.attribute_name = f.attribute_name.trim();
      if (f.map_kind === "range") doc.range_score_map = map("range_score_map");
      else doc.value_score_map = map("value_score_map");
      break;
    case "presence":
      doc.attribute_name = f.attribute_name.trim();
      doc.present_score = int(f.present_score);
      doc.missing_score = int(f.missing_score);
      break;
    case "link_presence":
      doc.link_slug = f.link_slug.trim();
      doc.present_score = int(f.present_score);
      doc.missing_score = int(f.missing_score);
      break;
    case "age":
      doc.attribute_name = f.attribute_name.trim();
      doc.age_score_map = map("age_score_map");
      break;
    case "deployment_status": {
      doc.environment_slug = f.environment_slug.trim();
      const m = map("status_score_map");
      if (Object.keys(m).length) doc.status_score_map = m;
      break;
    }
    case "condition":
      try {
        doc.condition = JSON.parse(f.condition);
      } catch (e) {
        throw new FormError("condition", `Not valid JSON: ${(e as Error).message}`);
      }
      doc.true_score = int(f.true_score);
      doc.false_score = int(f.false_score);
      break;
  }
  for (const k of Object.keys(doc)) if (doc[k] === undefined) delete doc[k];
  return doc;
}

const READ_ONLY = new Set(["slug", "created_at", "updated_at"]);

/** Top-level JSON Patch from the stored policy to the edited document. */
export function diffPatch(
  before: PolicyDoc,
  after: PolicyDoc,
): { op: "add" | "replace" | "remove"; path: string; value?: unknown }[] {
  const ops: { op: "add" | "replace" | "remove"; path: string; value?: unknown }[] = [];
  for (const [k, v] of Object.entries(after)) {
    if (READ_ONLY.has(k)) continue;
    if (!(k in before)) ops.push({ op: "add", path: `/${k}`, value: v });
    else if (JSON.stringify(before[k]) !== JSON.stringify(v))
      ops.push({ op: "replace", path: `/${k}`, value: v });
  }
  for (const k of Object.keys(before))
    if (!READ_ONLY.has(k) && !(k in after)) ops.push({ op: "remove", path: `/${k}` });
  return ops;
}

/**
 * Server field paths (`weight`, `json.weight` — a patched document is checked as `json.…` —,
 * `/weight`, `value_score_map.gold`) to the form's field names.
 */
export function fieldKey(location: string): string {
  const k = location
    .replace(/^\//, "")
    .replace(/\//g, ".")
    .replace(/^(json|body)\./, "");
  const top = k.split(".")[0] ?? k;
  return ["value_score_map", "range_score_map", "age_score_map", "status_score_map"].includes(top)
    ? "map"
    : top;
}
