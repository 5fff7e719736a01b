// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { isServerPage, safeReturnTo } from "./Login";

describe("return_to after sign-in", () => {
  it("keeps paths on this host, with their query and fragment", () => {
    expect(safeReturnTo("/o/demo/projects?team=payments#x")).toBe("/o/demo/projects?team=payments#x");
    expect(safeReturnTo("/api/auth/authorize?client_id=a&state=b")).toBe(
      "/api/auth/authorize?client_id=a&state=b",
    );
  });
  it("refuses other origins however they are spelled", () => {
    for (const bad of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "evil",
      "",
    ])
      expect(safeReturnTo(bad), bad).toBe("/");
    expect(safeReturnTo(null)).toBe("/");
  });
  it("loads API pages (the OAuth authorization page) as pages, not as app screens", () => {
    expect(isServerPage("/api/auth/authorize?x=1")).toBe(true);
    expect(isServerPage("/o/demo/projects")).toBe(false);
  });
});
