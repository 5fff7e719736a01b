// Regenerates lib/mcp/catalog_model_doc.ts from docs/catalog-model.md (the MCP catalog-model
// resource is inlined: Workers bundles cannot read files at run time).
import { readFileSync, writeFileSync } from "node:fs";

const text = readFileSync("docs/catalog-model.md", "utf8");
writeFileSync(
  "lib/mcp/catalog_model_doc.ts",
  "// GENERATED from docs/catalog-model.md by `node scripts/bundle_mcp_docs.mjs`; catalog_model_doc.test.ts fails\n" +
    "// when the two differ. Inlined because Workers bundles cannot read files at run time.\n\n" +
    "/** The text of docs/catalog-model.md, served as the MCP resource imbi://docs/catalog-model. */\n" +
    `export const CATALOG_MODEL_DOC: string = ${JSON.stringify(text)};\n`,
);
