// The README's "first five minutes" walkthrough, run as written: every curl command of that section
// is parsed (method, path, body) and sent through the real router against the demo organization,
// so the walkthrough cannot drift from the API.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../apps/node/demo/load.ts";
import { ADMIN, startTestApp, type TestApp } from "../harness/app.ts";

interface Call {
  line: string;
  method: string;
  path: string;
  body?: string;
}

/** The curl commands of the README section, joined across `\` continuations. */
function readmeCalls(): Call[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.split("## The first five minutes")[1]?.split("\n## ")[0] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const lines = block.replace(/\\\n\s*/g, " ").split("\n");
  return lines
    .map((l) => l.replace(/^[A-Z]+=\$\(/, "").trim())
    .filter((l) => l.startsWith("curl "))
    .map((line) => {
      const url = /\$IMBI(\/[^\s"']*)|"\$IMBI(\/[^"]*)"/.exec(line);
      const body = /-d '([^']*)'/.exec(line)?.[1];
      const method = /-X (\w+)/.exec(line)?.[1] ?? (body ? "POST" : "GET");
      return { line, method, path: (url?.[1] ?? url?.[2] ?? "") as string, body };
    });
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await loadDemo((method, path, body) => app.json(method, path, body, app.adminToken));
});
afterAll(() => app?.stop());

describe("README: the first five minutes", () => {
  const calls = readmeCalls();

  it("has the walkthrough: log in, list, what needs attention, create, depend, search", () => {
    const paths = calls.map((c) => `${c.method} ${c.path.split("?")[0]}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        "POST /api/auth/login",
        "GET /api/organizations/demo/projects",
        "GET /api/organizations/demo/scores/rollup",
        "POST /api/organizations/demo/projects",
        "POST /api/organizations/demo/projects/gift-cards/relationships/payment-gateway",
        "GET /api/organizations/demo/projects/gift-cards/dependencies",
        "GET /api/organizations/demo/search",
      ]),
    );
  });

  it("every command works as written", async () => {
    let token = "";
    for (const call of calls) {
      const body =
        call.path === "/api/auth/login"
          ? JSON.stringify({ ...JSON.parse(call.body ?? "{}"), email: ADMIN.email, password: ADMIN.password })
          : call.body;
      const res = await app.request(call.path, {
        method: call.method,
        headers: {
          ...(body ? { "Content-Type": "application/json" } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body,
      });
      expect(res.status, `${call.line}\n${await res.clone().text()}`).toBeLessThan(300);
      const json = (await res.json()) as Record<string, unknown>;
      if (call.path === "/api/auth/login") token = String(json.access_token);
      if (call.path.includes("/search"))
        expect((json.data as { rank: number }[])[0]?.rank).toBeGreaterThan(0);
      if (call.path.includes("sort=score")) {
        const scores = (json.data as { score: number }[]).map((p) => p.score);
        expect(scores).toEqual([...scores].sort((a, b) => a - b));
      }
    }
    expect(token).not.toBe("");
  });
});
