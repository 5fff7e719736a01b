import { describe, expect, it } from "vitest";
import { unchangedSince } from "./etag.ts";

describe("unchangedSince", () => {
  const at = "2026-01-02T03:04:05.678Z";
  it.each([
    ["no If-Match: an unconditional write", undefined, undefined],
    ["a tag: the version it was checked against", '"abc"', at],
    ["a weak tag and a list", 'W/"abc", "def"', at],
    ["* : any version", "*", undefined],
    ["* in a list", '"abc", *', undefined],
  ])("%s", (_, ifMatch, expected) => {
    expect(unchangedSince(ifMatch, at)).toBe(expected);
  });
});
