// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "@/api/client";
import { CONFLICT, receiverUrl, StatusBadge, WriteError } from "./common";

afterEach(cleanup);

describe("WriteError", () => {
  it("explains a 412 (someone else saved) and offers a reload", () => {
    render(
      <WriteError
        error={new ApiError({ status: 412, title: "Precondition failed", detail: "ETag mismatch" })}
        onReload={() => {}}
      />,
    );
    expect(screen.getByRole("alert").textContent).toContain(CONFLICT);
    expect(screen.getByRole("button", { name: "Reload" })).toBeTruthy();
  });
  it("shows any other problem's detail", () => {
    render(
      <WriteError
        error={new ApiError({ status: 403, detail: "Needs webhook:update" })}
        onReload={() => {}}
      />,
    );
    expect(screen.getByRole("alert").textContent).toContain("Needs webhook:update");
    expect(screen.queryByRole("button", { name: "Reload" })).toBeNull();
  });
});

describe("receiverUrl", () => {
  it("is the origin, the API prefix and the webhook's path", () => {
    expect(receiverUrl("/webhooks/whk_1", "https://imbi.example.com")).toBe(
      "https://imbi.example.com/api/webhooks/whk_1",
    );
  });
});

describe("StatusBadge", () => {
  it("always carries the status as text", () => {
    render(<StatusBadge status="dead" />);
    expect(screen.getByText("dead")).toBeTruthy();
  });
});
