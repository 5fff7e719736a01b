import { expect } from "vitest";
import { ProblemSchema } from "../../lib/http/problem.ts";

/** Asserts a problem+json answer with `status` and `code`; returns the parsed problem. */
export async function expectProblem(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = ProblemSchema.parse(await res.json());
  if (code) expect(body.code).toBe(code);
  expect(body.requestId).toMatch(/^req_/);
  return body;
}

/** Strings that would break a query built by concatenation; they must be stored verbatim. */
export const INJECTIONS = ["x'}) MATCH (n) DETACH DELETE n //", "$$ ; DROP TABLE x; --"] as const;

/** Follows every page of a list, via next_cursor or the Link header, and returns all items. */
export async function walkPages<T>(
  get: (path: string) => Promise<Response>,
  first: string,
  via: "cursor" | "link",
): Promise<T[]> {
  const items: T[] = [];
  let path: string | null = first;
  while (path) {
    const res = await get(path);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: T[]; next_cursor: string | null };
    items.push(...body.data);
    const link = res.headers.get("link");
    if (body.next_cursor) expect(link).toContain('rel="next"');
    else expect(link).toBeNull();
    if (!body.next_cursor) path = null;
    else if (via === "link") path = /<([^>]+)>/.exec(link ?? "")?.[1] ?? null;
    else path = `${first}${first.includes("?") ? "&" : "?"}cursor=${body.next_cursor}`;
  }
  return items;
}
