// Schema-driven fuzz test of every operation in the live /openapi.json (DESIGN.md §10).
//
// Generator: json-schema-faker samples valid values from the document's own schemas (seeded,
// draft 2020-12, $ref/oneOf/pattern/format aware, maintained, no dependencies); fast-check drives
// it and picks mutations, callers and request classes from one seed, so a run is replayable:
// FUZZ_SEED=<seed printed on failure> npx vitest run test/fuzz. FUZZ_SCALE multiplies the number
// of requests per operation. Chosen over openapi-sampler / @stoplight/json-schema-sampler (one
// deterministic example per schema, no randomness) and json-schema-fast-check (unmaintained,
// fast-check 1). Responses are checked with @cfworker/json-schema, the validator the server
// itself uses for blueprints.
//
// Against a seeded catalog (the demo organization, loaded through the API) with real ids, every
// operation gets valid requests, schema-invalid ones, poison strings (U+0000, lone surrogates,
// undecodable escapes), malformed bodies, unauthenticated and under-privileged callers, and every
// known path gets the methods it does not support. Operations that destroy or lock what they touch
// get a fresh entity per valid attempt, so the catalog stays usable for the whole run.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness/app.ts";
import { type Catalog, seedCatalog } from "./catalog.ts";
import { type OpenApiDoc, type Operation, operationsOf, SchemaChecker } from "./doc.ts";
import { ValueGenerator } from "./generate.ts";
import { check, type Finding, report, Sender } from "./http.ts";
import { type Planned, RequestPlanner } from "./requests.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_808);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Requests per operation and class (before SCALE). */
const PER_OP = { valid: 40, invalid: 36, poison: 10, malformed: 6, unauthenticated: 6, forbidden: 6 };
const CONCURRENCY = 6;
/** Only these operation ids (comma-separated), for a targeted replay. */
const ONLY = process.env.FUZZ_ONLY?.split(",").filter(Boolean);
const VERBOSE = process.env.FUZZ_VERBOSE === "1";
/** A request unanswered this long is a finding (a hang), and the run goes on. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Operations that change what other operations accept (enabled blueprints) run last. */
const LAST = ["createBlueprint", "updateBlueprint", "deleteBlueprint"];

let app: TestApp;
let catalog: Catalog;
let doc: OpenApiDoc;

beforeAll(async () => {
  app = await startTestApp();
  catalog = await seedCatalog(app);
  const res = await app.request("/openapi.json");
  doc = (await res.json()) as OpenApiDoc;
}, 300_000);
afterAll(() => app?.stop());

const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 0);

/** The planned requests of one operation, all classes, deterministic from the seed. */
function plan(planner: RequestPlanner, op: Operation): Planned[] {
  const out: Planned[] = [];
  const classes = [
    ["valid", planner.valid(op)],
    ["invalid", planner.invalid(op)],
    ["poison", planner.poison(op)],
    ["malformed", planner.malformed(op)],
    ["unauthenticated", planner.unauthenticated(op)],
    ["forbidden", planner.forbidden(op)],
  ] as const;
  for (const [kind, arb] of classes) {
    if (!arb) continue;
    // Candidates that turned out not to fit their class are undefined: sample again (a few rounds)
    // until the wanted count is reached.
    const numRuns = Math.max(1, Math.round(PER_OP[kind] * SCALE));
    const kept: Planned[] = [];
    for (let round = 0; round < 4 && kept.length < numRuns; round++) {
      const sampled = fc.sample(arb as fc.Arbitrary<Planned | undefined>, {
        seed: SEED ^ hash(`${op.id}:${kind}:${round}`),
        numRuns: numRuns - kept.length,
      });
      kept.push(...sampled.filter((p): p is Planned => p !== undefined));
    }
    out.push(...kept);
  }
  return out;
}

async function pool<T>(items: T[], n: number, work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

describe("OpenAPI fuzz", () => {
  it("every operation answers as documented, for valid and invalid input", { timeout: 900_000 }, async () => {
    const checker = new SchemaChecker(doc);
    const gen = new ValueGenerator(checker);
    const ops = operationsOf(doc);
    const planner = new RequestPlanner(gen, checker, catalog);
    const sender = new Sender(app, catalog, ops, gen, checker);
    const selected = ONLY ? ops.filter((o) => ONLY.includes(o.id)) : ops;
    const ordered = [
      ...selected.filter((o) => !LAST.includes(o.id)),
      ...selected.filter((o) => LAST.includes(o.id)),
    ];
    const findings: Finding[] = [];
    const counts = new Map<string, number>();
    /** With FUZZ_VERBOSE: why valid requests were refused (rules beyond the schemas), by operation. */
    const refusals = new Map<string, number>();
    let sent = 0;
    const started = performance.now();
    for (const op of ordered) {
      const planned = plan(planner, op);
      const t0 = performance.now();
      await pool(planned, op.method === "GET" ? CONCURRENCY : 3, async (p) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<undefined>((r) => {
          timer = setTimeout(() => r(undefined), REQUEST_TIMEOUT_MS);
        });
        const result = await Promise.race([sender.send(p), timeout]);
        clearTimeout(timer);
        sent++;
        if (!result) {
          findings.push({
            op: op.id,
            kind: p.kind,
            rule: "no answer within 20 s",
            status: 0,
            request: p.how,
            detail: "",
          });
          return;
        }
        const { answer, request } = result;
        // Tallied by class, status and problem code, so a run shows what it exercised.
        const code = answer.status >= 400 ? ` ${/"code":"([A-Z_]+)"/.exec(answer.text)?.[1] ?? ""}` : "";
        counts.set(
          `${p.kind} ${answer.status}${code}`,
          (counts.get(`${p.kind} ${answer.status}${code}`) ?? 0) + 1,
        );
        findings.push(...check(checker, p, answer, request));
        if (VERBOSE && p.kind === "forbidden" && answer.status < 300)
          refusals.set(
            `${op.id}: ${p.caller} allowed`,
            (refusals.get(`${op.id}: ${p.caller} allowed`) ?? 0) + 1,
          );
        if (VERBOSE && p.kind === "valid" && answer.status === 400)
          refusals.set(
            `${op.id}: ${/"detail":"(.{0,70})/.exec(answer.text)?.[1]}`,
            (refusals.get(`${op.id}: ${/"detail":"(.{0,70})/.exec(answer.text)?.[1]}`) ?? 0) + 1,
          );
      });
      if (VERBOSE) console.log(`${op.id}: ${planned.length} in ${Math.round(performance.now() - t0)} ms`);
    }
    // Unsupported methods on known paths: 405 with an Allow header naming the supported ones.
    const templates = Object.entries(doc.paths).map(([path, item]) => ({
      re: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      methods: Object.keys(item).map((m) => m.toUpperCase()),
    }));
    for (const path of Object.keys(doc.paths)) {
      const supported = Object.keys(doc.paths[path] ?? {}).map((m) => m.toUpperCase());
      const url = path.replace(/\{[^}]+\}/g, "x1");
      // A method another template serves at the same URL (PATCH /api/users/me is PATCH {email}) is not unsupported.
      const served = templates.filter((t) => t.re.test(url)).flatMap((t) => t.methods);
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => !served.includes(m))) {
        const res = await app.request(url, {
          method,
          headers: { Authorization: `Bearer ${catalog.tokens.admin}` },
        });
        sent++;
        const allow = res.headers.get("allow") ?? "";
        if (res.status !== 405 || !supported.every((m) => allow.includes(m)))
          findings.push({
            op: path,
            kind: "method",
            rule: `unsupported method answered ${res.status}${res.status === 405 ? ` (Allow: ${allow})` : ""}`,
            status: res.status,
            request: `${method} ${url}`,
            detail: (await res.text()).slice(0, 160),
          });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fuzz: seed ${SEED}, ${sent} requests over ${ops.length} operations in ${seconds.toFixed(1)} s ` +
        `(${Math.round(sent / seconds)}/s)\n` +
        [...counts]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join(", "),
    );
    if (VERBOSE)
      console.log(
        [...refusals]
          .sort()
          .map(([k, n]) => `${n}× ${k}`)
          .join("\n"),
      );
    if (findings.length > 0)
      console.log(`fuzz findings (replay with FUZZ_SEED=${SEED}):\n${report(findings)}`);
    expect(sent).toBeGreaterThanOrEqual(10_000 * Math.min(SCALE, 1));
    expect(findings.length, `replay with FUZZ_SEED=${SEED}\n${report(findings)}`).toBe(0);
  });
});
