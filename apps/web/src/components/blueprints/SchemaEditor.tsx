// The JSON Schema editor: the app's JSON editor with the draft's problems (syntax, then the
// blueprint-schema rules) as lint diagnostics, live. Loaded only by the Blueprints screen's chunk.
import { type Diagnostic, linter } from "@codemirror/lint";
import { JsonEditor } from "@/components/JsonEditor";
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

export function SchemaEditor(props: {
  value: string;
  onChange: (text: string) => void;
  readOnly?: boolean;
  label: string;
  describedBy?: string;
}) {
  return <JsonEditor {...props} lint={schemaLinter} className="[&_.cm-editor]:max-h-[28rem]" />;
}
