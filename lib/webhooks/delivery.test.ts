import { describe, expect, it } from "vitest";
import {
  atPointer,
  eventType,
  externalIdentifier,
  githubDeploymentStatus,
  REDACTED,
  visibleHeaders,
} from "./delivery.ts";

const payload = {
  repository: { id: 1296269, full_name: "octocat/Hello-World" },
  deployment_status: { state: "success" },
  "a/b": { "m~n": 1 },
};

describe("reading a delivery", () => {
  it("lower-cases headers and redacts credentials and signatures (presence only)", () => {
    const h = visibleHeaders(
      new Headers({
        "X-GitHub-Event": "deployment_status",
        "X-Hub-Signature-256": "sha256=abc",
        Authorization: "Bearer x",
        "X-Imbi-Signature": "t=1,v1=ab",
      }),
    );
    expect(h).toEqual({
      "x-github-event": "deployment_status",
      "x-hub-signature-256": REDACTED,
      authorization: REDACTED,
      "x-imbi-signature": REDACTED,
    });
  });

  it("resolves JSON Pointers, escapes included, and tolerates missing paths", () => {
    expect(atPointer(payload, "/repository/id")).toBe(1296269);
    expect(atPointer(payload, "/a~1b/m~0n")).toBe(1);
    expect(atPointer(payload, "/repository/nope/deeper")).toBeUndefined();
    expect(atPointer(payload, "repository")).toBeUndefined();
    expect(atPointer(payload, "")).toBe(payload);
  });

  it("takes the event type from a pointer, a header, or the selector itself", () => {
    const headers = { "x-github-event": "deployment_status" };
    expect(eventType("/deployment_status/state", headers, payload)).toBe("success");
    expect(eventType("X-GitHub-Event", headers, payload)).toBe("deployment_status");
    expect(eventType("incident", headers, payload)).toBe("incident");
  });

  it("reads the external identifier as a string, numbers included", () => {
    expect(externalIdentifier("/repository/id", payload)).toBe("1296269");
    expect(externalIdentifier("/repository/full_name", payload)).toBe("octocat/Hello-World");
    expect(externalIdentifier("/repository", payload)).toBeUndefined();
    expect(externalIdentifier("/missing", payload)).toBeUndefined();
  });

  it("maps GitHub deployment states to Imbi's, and skips unknown ones", () => {
    expect(
      ["queued", "pending", "in_progress", "success", "failure", "error", "inactive", "SUCCESS", "weird"].map(
        githubDeploymentStatus,
      ),
    ).toEqual([
      "pending",
      "pending",
      "in_progress",
      "success",
      "failed",
      "failed",
      "rolled_back",
      "success",
      undefined,
    ]);
  });
});
