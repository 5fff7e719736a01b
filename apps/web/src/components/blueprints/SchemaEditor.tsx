// The JSON Schema editor: CodeMirror with the JSON language, and the draft's problems (syntax,
// then the blueprint-schema rules) as lint diagnostics, live. Loaded only by the Blueprints
// screen's chunk.
import { json } from "@codemirror/lang-json";
import { type Diagnostic, linter, lintGutter } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { validateSchemaText } from "./validate";

const schemaLinter = linter(
  (view): Diagnostic[] =>
    validateSchemaText(view.state.doc.toString()).problems.map((p) => ({
      from: p.from,
      to: p.to,
      severity: "error",
      message: p.message,
    })),
  { delay: 250 },
);

export function SchemaEditor({
  value,
  onChange,
  readOnly,
  label,
  describedBy,
}: {
  value: string;
  onChange: (text: string) => void;
  readOnly?: boolean;
  label: string;
  describedBy?: string;
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
          lintGutter(),
          schemaLinter,
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

  // A new value from outside (another blueprint, a reload) replaces the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return (
    <div
      ref={host}
      className="overflow-hidden rounded-md border [&_.cm-editor]:max-h-[28rem] [&_.cm-scroller]:min-h-64"
    />
  );
}
