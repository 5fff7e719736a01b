import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chString, chUInt, parseClickHouseUrl } from "./clickhouse.ts";
import { decodeCursor, encodeCursor } from "./codec.ts";
import { clickhouseMigrations, embeddedMigrations, splitStatements } from "./migrations.ts";
import { AnalyticsQueryError } from "./types.ts";

const schemaDir = join(import.meta.dirname, "../../schema/clickhouse");

describe("parseClickHouseUrl", () => {
  it("reads credentials and database from the URL", () => {
    expect(parseClickHouseUrl("http://u%40x:p%3Ass@ch.local:8123/analytics")).toEqual({
      url: "http://ch.local:8123",
      database: "analytics",
      username: "u@x",
      password: "p:ss",
    });
  });

  it("strips clickhouse+, defaults the database to imbi and the user to default", () => {
    expect(parseClickHouseUrl("clickhouse+https://ch.example.com")).toEqual({
      url: "https://ch.example.com",
      database: "imbi",
      username: "default",
      password: "",
    });
    expect(parseClickHouseUrl("clickhouse+http://h:8123/").database).toBe("imbi");
  });

  it("lets explicit options win and rejects unsafe database names and schemes", () => {
    expect(
      parseClickHouseUrl("http://a:b@h/x", { database: "y", username: "c", password: "d" }),
    ).toMatchObject({
      database: "y",
      username: "c",
      password: "d",
    });
    expect(() => parseClickHouseUrl("http://h/imbi`; DROP")).toThrow(/database name/);
    expect(() => parseClickHouseUrl("tcp://h:9000/imbi")).toThrow(/http/);
  });
});

describe("ClickHouse literals", () => {
  it("hex-encodes strings so only [0-9a-f] sits between the quotes", () => {
    expect(chString("")).toBe("unhex('')");
    expect(chString("A'\\é")).toBe("unhex('41275cc3a9')");
    expect(chString("'); DROP TABLE x; --")).toMatch(/^unhex\('[0-9a-f]*'\)$/);
  });

  it("accepts only safe unsigned integers", () => {
    expect(chUInt(0)).toBe("0");
    expect(() => chUInt(-1)).toThrow();
    expect(() => chUInt(1.5)).toThrow();
    expect(() => chUInt(Number.NaN)).toThrow();
  });
});

describe("cursor", () => {
  it("round-trips unicode ids and rejects tampering", () => {
    const c = { tsMs: 1_714_564_800_123, id: "évt/+=?" };
    const s = encodeCursor(c);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(s)).toEqual(c);
    expect(() => decodeCursor("%%%")).toThrow(AnalyticsQueryError);
    expect(() => decodeCursor(encodeCursor({ tsMs: -1, id: "x" }))).toThrow(AnalyticsQueryError);
  });
});

describe("migrations", () => {
  it("inline DDL matches the reviewed files in schema/clickhouse", () => {
    const files = (dir: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort()
        .map((f) => ({ version: f.replace(/\.sql$/, ""), sql: readFileSync(join(dir, f), "utf8") }));
    expect(clickhouseMigrations).toEqual(files(schemaDir));
    expect(embeddedMigrations).toEqual(files(join(schemaDir, "embedded")));
  });

  it("splits statements on line-ending semicolons only", () => {
    expect(splitStatements("-- c; x\nCREATE a (s DEFAULT ';');\n\nCREATE b;")).toEqual([
      "CREATE a (s DEFAULT ';')",
      "CREATE b",
    ]);
  });
});
