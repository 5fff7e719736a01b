// @vitest-environment happy-dom
// The edit form against a scripted API (fetch stubbed before the client is created): a 412 shows
// the conflict message, Reload brings the other person's values and ETag, and the next save sends
// that ETag; a 400's field errors land on their fields.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

const calls = vi.hoisted(() => {
  const log: { method: string; url: string; ifMatch: string | null; body: string }[] = [];
  let script: ((req: Request, body: string) => Response)[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const body = req.method === "GET" ? "" : await req.clone().text();
    log.push({
      method: req.method,
      url: new URL(req.url).pathname,
      ifMatch: req.headers.get("if-match"),
      body,
    });
    const next = script.shift();
    if (!next) throw new Error(`unexpected ${req.method} ${req.url}`);
    return next(req, body);
  }) as typeof fetch;
  return {
    log,
    answer(...fns: ((req: Request, body: string) => Response)[]) {
      script = fns;
    },
  };
});

import { EditProjectDialog } from "./EditProjectDialog";
import { fieldsOf } from "./schema_fields";

const project = {
  id: "V1StGXR8_Z5jdHi6B-myT",
  org_id: "o",
  slug: "cart",
  name: "Cart",
  description: "",
  team: "checkout",
  project_types: ["api"],
  environments: {},
  links: {},
  identifiers: {},
  archived: false,
  score: null,
  created_at: "",
  updated_at: "",
  tier: 3,
  oncall: "ops",
};
const fields = fieldsOf({
  type: "object",
  properties: { tier: { type: "integer", maximum: 4 }, oncall: { type: "string" } },
});
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: {
        "Content-Type": status >= 400 ? "application/problem+json" : "application/json",
        ...headers,
      },
    });

function renderDialog() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const onOpenChange = vi.fn();
  render(
    <QueryClientProvider client={qc}>
      <EditProjectDialog
        org="demo"
        routeId="cart"
        base={{ project, etag: '"v1"' }}
        fields={fields}
        open
        onOpenChange={onOpenChange}
      />
    </QueryClientProvider>,
  );
  return { onOpenChange };
}

afterEach(() => {
  cleanup();
  calls.log.length = 0;
});

describe("editing a project", () => {
  it("explains a conflict, reloads their version and saves with its ETag", async () => {
    const { onOpenChange } = renderDialog();
    calls.answer(
      json(412, { status: 412, title: "Precondition failed", detail: "If-Match does not match" }),
      json(200, { ...project, oncall: "someone-else" }, { ETag: '"v2"' }),
      json(200, { ...project, oncall: "someone-else", tier: 1 }, { ETag: '"v3"' }),
    );
    fireEvent.change(screen.getByLabelText("Tier"), { target: { value: "1" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await screen.findByText(/changed by someone else since you opened it — reload to see their changes/);
    expect(calls.log[0]).toMatchObject({ method: "PATCH", ifMatch: '"v1"' });
    expect(JSON.parse(calls.log[0]?.body ?? "")).toEqual([{ op: "add", path: "/tier", value: 1 }]);

    fireEvent.click(screen.getByRole("button", { name: "Reload" }));
    await waitFor(() =>
      expect((screen.getByLabelText("Oncall") as HTMLInputElement).value).toBe("someone-else"),
    );
    expect((screen.getByLabelText("Tier") as HTMLInputElement).value).toBe("3");
    expect(screen.queryByText(/changed by someone else/)).toBeNull();

    fireEvent.change(screen.getByLabelText("Tier"), { target: { value: "1" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false));
    expect(calls.log[2]).toMatchObject({ method: "PATCH", ifMatch: '"v2"' });
  });

  it("puts the server's field errors on their fields", async () => {
    renderDialog();
    calls.answer(
      json(400, {
        status: 400,
        title: "Validation failed",
        detail: "Blueprint validation failed",
        errors: [{ location: "json.tier", message: "7 is greater than 4." }],
      }),
    );
    fireEvent.change(screen.getByLabelText("Tier"), { target: { value: "7" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    const msg = await screen.findByText("7 is greater than 4.");
    const tier = screen.getByLabelText("Tier");
    expect(tier.getAttribute("aria-invalid")).toBe("true");
    expect(tier.getAttribute("aria-describedby")).toBe(msg.id);
    expect(screen.getByLabelText("Oncall").getAttribute("aria-invalid")).toBe("false");
  });
});
