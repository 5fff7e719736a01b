/** A graph vertex as AGE returns it. */
export interface Vertex<P = Record<string, unknown>> {
  id: number;
  label: string;
  properties: P;
}

/** A graph edge as AGE returns it. */
export interface Edge<P = Record<string, unknown>> {
  id: number;
  label: string;
  start_id: number;
  end_id: number;
  properties: P;
}

/** Any value an agtype column can hold once parsed. */
export type AgValue = null | boolean | number | string | AgValue[] | { [k: string]: AgValue };

/**
 * Parses agtype text (JSON plus `::vertex`/`::edge`/`::path`/`::numeric` annotations and
 * NaN/Infinity) into plain values. Annotations are stripped outside string literals only, so a
 * property value containing "::vertex" survives verbatim.
 */
export function parseAgtype(text: string | null): AgValue {
  if (text === null) return null;
  let out = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '"') {
      const start = i;
      i++;
      while (i < n && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      out += text.slice(start, i);
    } else if (ch === ":" && text[i + 1] === ":") {
      i += 2;
      while (i < n && /[a-z_]/i.test(text[i] as string)) i++;
    } else if (text.startsWith("NaN", i) || text.startsWith("Infinity", i)) {
      // JSON has no NaN/Infinity; AGE floats can be either. null keeps the document parseable.
      out += "null";
      i += text.startsWith("NaN", i) ? 3 : 8;
      if (out.endsWith("-null")) out = `${out.slice(0, -5)}null`;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out) as AgValue;
}

/** True when a parsed value has the shape of a vertex. */
export function isVertex(v: unknown): v is Vertex {
  return typeof v === "object" && v !== null && "label" in v && "properties" in v && !("start_id" in v);
}

/** True when a parsed value has the shape of an edge. */
export function isEdge(v: unknown): v is Edge {
  return typeof v === "object" && v !== null && "label" in v && "start_id" in v && "end_id" in v;
}
