// Reads served HTML the way a browser would (parse5 is the WHATWG parser), for tests that assert
// what a page loads and links to.
import { type DefaultTreeAdapterTypes, parse } from "parse5";

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;

/** Attributes that make a browser fetch something when the page loads (or a form posts). */
const LOADING_ATTRIBUTES: Record<string, string[]> = {
  script: ["src"],
  link: ["href"],
  img: ["src", "srcset"],
  source: ["src", "srcset"],
  iframe: ["src"],
  frame: ["src"],
  embed: ["src"],
  object: ["data"],
  video: ["src", "poster"],
  audio: ["src"],
  track: ["src"],
  input: ["src"],
  form: ["action"],
  base: ["href"],
};

/** What a parsed page references. */
export interface PageRefs {
  /** URLs the page loads by itself (scripts, stylesheets, icons, images, frames, form targets). */
  resources: { tag: string; attr: string; url: string }[];
  /** `<a href>` targets. */
  links: string[];
  /** Inline `<script>` and `<style>` blocks, with their nonce attribute. */
  inline: { tag: "script" | "style"; nonce: string | undefined; text: string }[];
  /** Elements carrying a `style` attribute (blocked by a CSP without 'unsafe-inline'). */
  styleAttributes: number;
  /** The document's text content, whitespace collapsed. */
  text: string;
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function textOf(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterTypes.TextNode).value;
  const children = "childNodes" in node ? node.childNodes : [];
  return children.map((c) => textOf(c)).join("");
}

/** Parses `html` and lists everything it references. */
export function pageRefs(html: string): PageRefs {
  const refs: PageRefs = { resources: [], links: [], inline: [], styleAttributes: 0, text: "" };
  const walk = (node: Node) => {
    if ("tagName" in node) {
      const el = node as Element;
      for (const a of LOADING_ATTRIBUTES[el.tagName] ?? []) {
        const value = attr(el, a);
        if (value === undefined) continue;
        const urls = a === "srcset" ? value.split(",").map((s) => s.trim().split(/\s+/)[0] ?? "") : [value];
        for (const url of urls) refs.resources.push({ tag: el.tagName, attr: a, url });
      }
      if (el.tagName === "a" && attr(el, "href") !== undefined) refs.links.push(attr(el, "href") ?? "");
      if ((el.tagName === "script" && attr(el, "src") === undefined) || el.tagName === "style")
        refs.inline.push({ tag: el.tagName, nonce: attr(el, "nonce"), text: textOf(el) });
      if (attr(el, "style") !== undefined) refs.styleAttributes++;
    }
    // <template> content lives in a separate fragment.
    const children = "content" in node ? (node.content as Node & { childNodes: Node[] }).childNodes : [];
    for (const c of [...("childNodes" in node ? node.childNodes : []), ...children]) walk(c as Node);
  };
  const doc = parse(html);
  walk(doc);
  refs.text = textOf(doc).replace(/\s+/g, " ").trim();
  return refs;
}

/**
 * True when `url`, resolved against `base`, stays on `base`'s origin. Protocol-relative
 * (`//cdn…`) and absolute URLs to other hosts are not; `data:` URLs are not fetched from anywhere
 * and count as same-origin.
 */
export function isSameOrigin(url: string, base: string): boolean {
  if (url.startsWith("data:")) return true;
  return new URL(url, base).origin === new URL(base).origin;
}

/**
 * The directives of a Content-Security-Policy header, e.g. `{ "script-src": ["'self'", …] }`.
 */
export function parseCsp(header: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (header ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = values;
  }
  return out;
}
