// Issue 11: tool calls on /mcp are limited per actor (IMBI_MCP_RATE_LIMIT); past the limit a call
// is a RATE_LIMITED tool error, not run, and recorded as denied. Raw JSON-RPC over the router: the
// stateless endpoint needs no initialize handshake for a tools/call.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";

let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp({ env: { IMBI_MCP_RATE_LIMIT: "2/minute" }, analytics: "embedded", kv: "memory" });
  await app.org("acme");
  const u = await app.user("limited@acme.test", [{ org: "acme", role: "readonly" }]);
  const res = await app.json("POST", "/api/api-keys", { name: "mcp" }, u.token);
  key = ((await res.json()) as { key: string }).key;
}, 120_000);
afterAll(() => app?.stop());

const callTool = async (id: number) => {
  const res = await app.request("/mcp", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${key}`,
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "list_dependency_cycles", arguments: { organization: "acme" } },
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { isError?: boolean; content: { text: string }[] } }).result;
};

it("allows IMBI_MCP_RATE_LIMIT calls per actor, then refuses with a tool error and logs it as denied", async () => {
  expect((await callTool(1)).isError).toBeFalsy();
  expect((await callTool(2)).isError).toBeFalsy();
  const refused = await callTool(3);
  expect(refused.isError).toBe(true);
  expect(refused.content[0]?.text).toMatch(
    /^RATE_LIMITED: more than 2\/minute tool calls by limited@acme\.test/,
  );
  await app.drain();
  const rows = await app.db.sql<{ status: string }[]>`
    select status from analytics.mcp_access_log where actor = 'limited@acme.test' order by occurred_at, id`;
  expect(rows.map((r) => r.status).sort()).toEqual(["denied", "ok", "ok"]);
});
