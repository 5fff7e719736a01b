// Live checks of a blueprint schema draft, as the editor's lint diagnostics: JSON syntax first,
// then the server's rule for blueprint schemas (BlueprintJsonSchema) and the checks it states in
// prose (`required` names defined properties; each property's `default` passes its own schema).
// Each problem carries the text range of the JSON it is about.
import { type Schema, Validator } from "@cfworker/json-schema";
import { BLUEPRINT_META_SCHEMA } from "./metaSchema";

export interface Problem {
  from: number;
  to: number;
  message: string;
}

let meta: Validator | undefined;

/** Offsets of every value in a JSON text, by JSON Pointer ("" is the root). */
export function pointerOffsets(text: string): Map<string, { from: number; to: number }> {
  const out = new Map<string, { from: number; to: number }>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
  const value = (ptr: string, keyFrom?: number) => {
    ws();
    const from = i;
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      while (i < text.length && text[i] !== "}") {
        ws();
        const kFrom = i;
        const key = str();
        ws();
        i++; // :
        value(`${ptr}/${esc(key)}`, kFrom);
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === "[") {
      i++;
      ws();
      let n = 0;
      while (i < text.length && text[i] !== "]") {
        value(`${ptr}/${n++}`);
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    out.set(ptr, { from: keyFrom ?? from, to: Math.max(i, from + 1) });
  };
  try {
    value("");
  } catch {
    // Only called on text JSON.parse accepted; a failure just leaves fewer offsets.
  }
  return out;
}

/** Where JSON.parse stopped, from its message ("… at position 12" / "(line 2 column 5)"). */
function syntaxProblem(text: string, e: Error): Problem {
  let at = text.length;
  const pos = /position (\d+)/.exec(e.message);
  const lc = /line (\d+) column (\d+)/.exec(e.message);
  if (pos) at = Number(pos[1]);
  else if (lc) {
    const lines = text.split("\n");
    at = lines.slice(0, Number(lc[1]) - 1).reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
  }
  at = Math.min(Math.max(at, 0), text.length);
  return {
    from: Math.max(0, Math.min(at, text.length - 1)),
    to: Math.min(text.length, at + 1),
    message: `JSON syntax error: ${e.message}`,
  };
}

/** The draft's problems; empty when the server would accept the schema (as far as the browser can tell). */
export function validateSchemaText(text: string): { problems: Problem[]; schema?: Record<string, unknown> } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { problems: [syntaxProblem(text, e as Error)] };
  }
  const offsets = pointerOffsets(text);
  const at = (ptr: string) => {
    // The nearest enclosing value that has an offset.
    let p = ptr;
    while (p && !offsets.has(p)) p = p.slice(0, p.lastIndexOf("/"));
    return offsets.get(p) ?? { from: 0, to: Math.min(1, text.length) };
  };
  meta ??= new Validator(BLUEPRINT_META_SCHEMA as unknown as Schema, "2020-12", false);
  const result = meta.validate(doc);
  const byLoc = new Map<string, string>();
  for (const e of result.errors) {
    const loc = e.instanceLocation.replace(/^#/, "");
    if (!byLoc.has(loc)) byLoc.set(loc, e.error);
  }
  const locs = [...byLoc.keys()];
  const problems: Problem[] = locs
    .filter((l) => !locs.some((o) => o !== l && o.startsWith(`${l}/`)))
    .map((l) => ({ ...at(l), message: `${l || "schema"}: ${byLoc.get(l)}` }));
  if (result.valid && doc && typeof doc === "object") {
    const s = doc as { properties?: Record<string, unknown>; required?: unknown[] };
    const props = s.properties ?? {};
    (s.required ?? []).forEach((name, i) => {
      if (typeof name === "string" && !(name in props))
        problems.push({
          ...at(`/required/${i}`),
          message: `required names "${name}", which is not a defined property`,
        });
    });
    for (const [name, sub] of Object.entries(props)) {
      if (!sub || typeof sub !== "object" || !("default" in sub)) continue;
      try {
        const r = new Validator(sub as Schema, "2020-12").validate((sub as { default: unknown }).default);
        if (!r.valid)
          problems.push({
            ...at(`/properties/${name}/default`),
            message: `the default of "${name}" does not pass its own schema: ${r.errors[r.errors.length - 1]?.error ?? "invalid"}`,
          });
      } catch (e) {
        problems.push({
          ...at(`/properties/${name}`),
          message: `"${name}" is not a valid schema: ${(e as Error).message}`,
        });
      }
    }
  }
  return { problems, schema: problems.length ? undefined : (doc as Record<string, unknown>) };
}
