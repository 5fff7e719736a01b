// Writes the merged OpenAPI 3.1 document of every route group to docs/openapi.json.
// CI regenerates it and fails when the checked-in file differs (STYLE H17).
import { writeFile } from "node:fs/promises";
import { buildRouter, openApiInfo } from "../functions/registry.ts";
import {
  addBodyErrorResponses,
  addRequestExamples,
  applyPasswordPolicy,
  applyVersionFormat,
  DEFAULT_PASSWORD_POLICY,
  type OpenApiDocument,
} from "../lib/http/openapi_document.ts";

const doc = buildRouter({ IMBI_API_URL: "" }).getOpenAPI31Document(openApiInfo);
applyPasswordPolicy(doc as unknown as OpenApiDocument, DEFAULT_PASSWORD_POLICY);
// The default of IMBI_RELEASES_VERSION_FORMAT; a server with another format serves its own rule.
applyVersionFormat(doc as unknown as OpenApiDocument, "semver");
addBodyErrorResponses(doc as unknown as OpenApiDocument);
const withoutExamples = addRequestExamples(doc as unknown as OpenApiDocument);
if (withoutExamples.length > 0) {
  console.error(`no valid request example could be made for:\n  ${withoutExamples.join("\n  ")}`);
  process.exit(1);
}
const missing: string[] = [];
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
    if (!("x-imbi-permission" in op)) missing.push(`${method.toUpperCase()} ${path}`);
  }
}
if (missing.length > 0) {
  console.error(`operations without x-imbi-permission:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
await writeFile(new URL("../docs/openapi.json", import.meta.url), `${JSON.stringify(doc, null, 2)}\n`);
console.log(`docs/openapi.json: ${Object.keys(doc.paths ?? {}).length} paths`);
