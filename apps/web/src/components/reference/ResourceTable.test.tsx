// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/api/client";
import {
  createBody,
  diffPatch,
  errorsByField,
  type FieldSpec,
  fieldName,
  type JsonPatchOp,
  ResourceTable,
  type ResourceTableProps,
} from "./ResourceTable";

afterEach(cleanup);

const fields: FieldSpec[] = [
  { name: "name", label: "Name", required: true },
  { name: "slug", label: "Slug", required: true },
  { name: "description", label: "Description", kind: "textarea" },
  { name: "sort_order", label: "Sort order", kind: "number" },
  { name: "label_color", label: "Label colour", nullable: true },
  { name: "can_deploy", label: "Deployable", kind: "checkbox" },
];

describe("form helpers", () => {
  it("names the field of every error location the API uses", () => {
    expect(fieldName("json.slug")).toBe("slug");
    expect(fieldName("body.slug")).toBe("slug");
    expect(fieldName("/slug")).toBe("slug");
    expect(fieldName("json.attributes.tier")).toBe("attributes");
  });

  it("keeps only errors that name a field of the form, first message wins", () => {
    const err = new ApiError({
      status: 400,
      detail: "invalid",
      errors: [
        { location: "json.slug", message: "must match ^[a-z][a-z0-9-]*$" },
        { location: "json.slug", message: "second" },
        { location: "query.limit", message: "not a form field" },
      ],
    });
    expect(errorsByField(err, fields)).toEqual({ slug: "must match ^[a-z][a-z0-9-]*$" });
    expect(errorsByField(new Error("x"), fields)).toEqual({});
  });

  it("leaves empty optional fields out of a create body and converts numbers", () => {
    expect(
      createBody(fields, {
        name: " Prod ",
        slug: "prod",
        description: "",
        sort_order: "3",
        label_color: "",
        can_deploy: true,
      }),
    ).toEqual({ name: "Prod", slug: "prod", sort_order: 3, can_deploy: true });
  });

  it("patches only what changed, with null for a cleared nullable field", () => {
    const before = {
      name: "Prod",
      slug: "prod",
      description: "x",
      sort_order: "3",
      label_color: "#ff0000",
      can_deploy: true,
    };
    const ops = diffPatch(fields, before, {
      ...before,
      name: "Production",
      label_color: "",
      can_deploy: false,
    });
    expect(ops).toEqual<JsonPatchOp[]>([
      { op: "replace", path: "/name", value: "Production" },
      { op: "replace", path: "/label_color", value: null },
      { op: "replace", path: "/can_deploy", value: false },
    ]);
    expect(diffPatch(fields, before, { ...before })).toEqual([]);
    // A create-only field is never patched.
    expect(
      diffPatch([{ name: "slug", label: "Slug", createOnly: true }], { slug: "a" }, { slug: "b" }),
    ).toEqual([]);
  });
});

interface Thing {
  slug: string;
  name: string;
}

function renderTable(overrides: Partial<ResourceTableProps<Thing>> = {}) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const props: ResourceTableProps<Thing> = {
    noun: "thing",
    caption: "Things",
    queryKey: ["things"],
    listPage: async () => ({ data: [{ slug: "alpha", name: "Alpha" }], next_cursor: null }),
    rowKey: (t) => t.slug,
    rowLabel: (t) => t.name,
    columns: [{ header: "Name", cell: (t) => t.name }],
    fields: [
      { name: "name", label: "Name", required: true },
      { name: "slug", label: "Slug", required: true },
    ],
    empty: { title: "No things yet", body: "Create a thing first." },
    ...overrides,
  };
  return render(
    <QueryClientProvider client={qc}>
      <ResourceTable {...props} />
    </QueryClientProvider>,
  );
}

describe("ResourceTable", () => {
  it("renders no create, edit or delete control the user may not use", async () => {
    renderTable();
    await screen.findByRole("cell", { name: "Alpha" });
    expect(screen.queryByRole("button", { name: /New thing/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Edit Alpha" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Delete Alpha" })).toBeNull();
  });

  it("says what to do when the list is empty", async () => {
    renderTable({ listPage: async () => ({ data: [], next_cursor: null }), create: async () => ({}) });
    expect(await screen.findByText("No things yet")).toBeTruthy();
    expect(screen.getByText("Create a thing first.")).toBeTruthy();
  });

  it("puts the server's field error on the field and its detail nowhere else", async () => {
    const create = vi.fn(async () => {
      throw new ApiError({
        status: 400,
        title: "Validation failed",
        detail: "The request json is invalid: json.slug: must match",
        errors: [{ location: "json.slug", message: "must match ^[a-z][a-z0-9-]*$" }],
      });
    });
    renderTable({ create });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /New thing/ }));
    const dialog = await screen.findByRole("dialog", { name: "New thing" });
    await user.type(within(dialog).getByLabelText("Name"), "Beta");
    await user.type(within(dialog).getByLabelText("Slug"), "Bad Slug");
    await user.click(within(dialog).getByRole("button", { name: "Create thing" }));
    const slug = within(dialog).getByLabelText("Slug");
    await waitFor(() => expect(slug.getAttribute("aria-invalid")).toBe("true"));
    expect(create).toHaveBeenCalledWith({ name: "Beta", slug: "Bad Slug" });
    const describedBy = slug.getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(describedBy)?.textContent).toBe("must match ^[a-z][a-z0-9-]*$");
    expect(within(dialog).getByLabelText("Name").getAttribute("aria-invalid")).toBeNull();
  });

  it("shows a refusal without field errors as the problem's detail", async () => {
    const remove = vi.fn(async () => {
      throw new ApiError({ status: 409, title: "Conflict", detail: "Team 'alpha' still owns 3 projects." });
    });
    renderTable({ remove });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete Alpha" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Delete Alpha?" });
    await user.click(within(confirm).getByRole("button", { name: "Delete thing" }));
    expect(await within(confirm).findByText("Team 'alpha' still owns 3 projects.")).toBeTruthy();
    expect(remove).toHaveBeenCalledWith("alpha");
  });

  it("edits with a JSON Patch of the changed fields and the loaded ETag", async () => {
    const update = vi.fn(async () => ({}));
    renderTable({
      load: async () => ({ data: { slug: "alpha", name: "Alpha" }, etag: 'W/"abc"' }),
      update,
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Edit Alpha" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit Alpha" });
    const name = await within(dialog).findByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Alpha One");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(() =>
      expect(update).toHaveBeenCalledWith(
        "alpha",
        [{ op: "replace", path: "/name", value: "Alpha One" }],
        'W/"abc"',
      ),
    );
    expect(await screen.findByText("Saved Alpha.")).toBeTruthy();
  });

  it("explains an If-Match conflict (412) instead of showing a bare status", async () => {
    const update = vi.fn(async () => {
      throw new ApiError({ status: 412, title: "Precondition failed", detail: "ETag mismatch" });
    });
    renderTable({ load: async () => ({ data: { slug: "alpha", name: "Alpha" }, etag: 'W/"old"' }), update });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Edit Alpha" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit Alpha" });
    await user.type(await within(dialog).findByLabelText("Name"), "!");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect((await within(dialog).findByRole("alert")).textContent).toMatch(/Someone else changed this/);
  });
});
