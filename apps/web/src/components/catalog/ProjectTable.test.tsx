// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { slugify } from "./CreateProjectDialog";
import { ProjectTable } from "./ProjectTable";
import { levelFor, ScoreBadge, toneFor } from "./score";

const levels = [
  { name: "Bronze", min_score: 50 },
  { name: "Silver", min_score: 75 },
  { name: "Gold", min_score: 90 },
];
afterEach(cleanup);

describe("score levels", () => {
  it("gives the highest level a score reaches, and a tone by how high it is", () => {
    expect(levelFor(74.9, levels)?.name).toBe("Bronze");
    expect(levelFor(75, levels)?.name).toBe("Silver");
    expect(levelFor(49, levels)).toBeUndefined();
    expect(levelFor(null, levels)).toBeUndefined();
    expect([toneFor(95, levels), toneFor(80, levels), toneFor(10, levels), toneFor(null, levels)]).toEqual([
      "good",
      "warn",
      "bad",
      "muted",
    ]);
  });
  it("shows the score and its level, or that it is not scored", () => {
    render(<ScoreBadge score={82.25} levels={levels} testId="s" />);
    expect(screen.getByTestId("s").textContent).toBe("82.3");
    expect(screen.getByText("· Silver")).toBeTruthy();
    cleanup();
    render(<ScoreBadge score={null} levels={levels} testId="s" />);
    expect(screen.getByTestId("s").textContent).toBe("—");
    expect(screen.getByText("not scored")).toBeTruthy();
  });
});

describe("the catalog table", () => {
  it("links each name to the project page by slug and names team, types and environments", () => {
    render(
      <MemoryRouter>
        <ProjectTable
          org="demo"
          levels={levels}
          rows={[
            {
              id: "V1StGXR8_Z5jdHi6B-myT",
              slug: "cart-service",
              name: "Cart Service",
              team: "checkout",
              project_types: ["http-api"],
              environments: { production: {}, staging: {} },
              archived: true,
              score: 91,
            },
          ]}
          teamName={(s) => (s === "checkout" ? "Checkout" : s)}
          typeName={(s) => (s === "http-api" ? "HTTP API" : s)}
          envName={(s) => s.toUpperCase()}
        />
      </MemoryRouter>,
    );
    const row = screen.getAllByRole("row")[1];
    if (!row) throw new Error("no row");
    const link = within(row).getByRole("link", { name: "Cart Service" });
    expect(link.getAttribute("href")).toBe("/o/demo/projects/cart-service");
    expect(within(row).getByText("Checkout")).toBeTruthy();
    expect(within(row).getByText("HTTP API")).toBeTruthy();
    expect(within(row).getByText("PRODUCTION, STAGING")).toBeTruthy();
    expect(within(row).getByText("Archived")).toBeTruthy();
    expect(within(row).getByText("· Gold")).toBeTruthy();
  });
});

describe("slugs from names", () => {
  it("lower-cases, dashes and starts with a letter", () => {
    expect(slugify("Payments API v2")).toBe("payments-api-v2");
    expect(slugify("  2nd Café! ")).toBe("nd-cafe");
  });
});
