// The app's JSON editor: CodeMirror with the JSON language, theme-aware colours and live lint
// diagnostics (JSON syntax by default; the blueprint editor passes its schema rules). Imported only
// by the screens that edit JSON (blueprints, webhook rules), so CodeMirror loads when they are visited.
import { json, jsonParseLinter } from "@codemirror/lang-json";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { linter, lintGutter } from "@codemirror/lint";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";

/**
 * JSON colours readable on both themes (CodeMirror's default style is for light backgrounds only):
 * `light-dark()` follows the page's color-scheme, so switching the theme recolours the editor too.
 */
const jsonColors = HighlightStyle.define([
  { tag: tags.propertyName, color: "light-dark(#1d4ed8, #93c5fd)" },
  { tag: tags.string, color: "light-dark(#166534, #86efac)" },
  { tag: tags.number, color: "light-dark(#9a3412, #fdba74)" },
  { tag: [tags.bool, tags.null, tags.keyword], color: "light-dark(#7e22ce, #d8b4fe)" },
]);

const JSON_SYNTAX = linter(jsonParseLinter(), { delay: 250 });

export function JsonEditor({
  value,
  onChange,
  readOnly,
  label,
  describedBy,
  invalid,
  lint = JSON_SYNTAX,
  className = "[&_.cm-editor]:max-h-[32rem]",
}: {
  value: string;
  onChange: (text: string) => void;
  readOnly?: boolean;
  label: string;
  describedBy?: string;
  invalid?: boolean;
  /** The diagnostics shown as the text changes (default: JSON syntax errors). */
  lint?: Extension;
  /** Size classes of the frame (the editor's maximum height). */
  className?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const changed = useRef(onChange);
  changed.current = onChange;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is created once; value updates below
  useEffect(() => {
    if (!host.current) return;
    const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          json(),
          syntaxHighlighting(jsonColors),
          EditorView.lineWrapping,
          lintGutter(),
          lint,
          EditorState.readOnly.of(Boolean(readOnly)),
          EditorView.contentAttributes.of({
            "aria-label": label,
            ...(describedBy ? { "aria-describedby": describedBy } : {}),
          }),
          ...(nonce ? [EditorView.cspNonce.of(nonce)] : []),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
          EditorView.theme({
            "&": { fontSize: "13px", backgroundColor: "var(--background)", color: "var(--foreground)" },
            ".cm-gutters": {
              backgroundColor: "var(--muted)",
              color: "var(--muted-foreground)",
              border: "none",
            },
            ".cm-activeLine, .cm-activeLineGutter": {
              backgroundColor: "color-mix(in oklab, var(--muted) 60%, transparent)",
            },
            "&.cm-focused": { outline: "2px solid var(--ring)" },
            ".cm-tooltip": { backgroundColor: "var(--popover)", color: "var(--popover-foreground)" },
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = undefined;
    };
  }, []);

  // A new value from outside (another document, a reload after saving) replaces the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return (
    <div
      ref={host}
      data-invalid={invalid ? "true" : undefined}
      className={`overflow-hidden rounded-md border data-[invalid=true]:border-destructive [&_.cm-scroller]:min-h-64 ${className}`}
    />
  );
}
