// Every operation's stamp is exactly what is enforced (issue 9): for each operation of the live
// /openapi.json, a schema-valid request (the fuzzer's generator, real ids from the demo catalog) is
// sent as real principals built from the stamp — `x-imbi-permission` evaluated where `x-imbi-access`
// says — and each must be let through or refused exactly as the stamp promises:
//
//   organization P: P alone in the path's organization passes; everything but P there, or P in
//                   another organization only, is a 403
//   global P:       P alone in the system organization passes; everything but P there, or P in
//                   another organization only, is a 403
//   anywhere P:     P alone in any organization passes; a user of no organization is a 403
//   authenticated:  a user of no organization passes
//   custom:         a user of no organization holding none of the permissions gets no 2xx
//   every one but public: no credentials is a 401
//
// "Passes" means neither 401 nor 403 (a 404 or 409 is the operation deciding, after authorization).
// STAMP_ONLY=createTeam,listTeams limits the run to some operations.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../../lib/auth/catalog.ts";
import { issueSession } from "../../lib/auth/tokens.ts";
import { addMembership } from "../../lib/identity/memberships.ts";
import { createRole } from "../../lib/identity/roles.ts";
import { createUser } from "../../lib/identity/users.ts";
import { type Catalog, seedCatalog, victim } from "../fuzz/catalog.ts";
import { type OpenApiDoc, type Operation, operationsOf, SchemaChecker } from "../fuzz/doc.ts";
import { ValueGenerator } from "../fuzz/generate.ts";
import { Sender } from "../fuzz/http.ts";
import { type Planned, RequestPlanner } from "../fuzz/requests.ts";
import { startTestApp, type TestApp } from "../harness/app.ts";

const SYSTEM_ORG = "default";
const ONLY = process.env.STAMP_ONLY?.split(",").filter(Boolean);
const SCOPES = ["public", "authenticated", "organization", "global", "anywhere", "custom"];

let app: TestApp;
let catalog: Catalog;
let ops: Operation[];
let planner: RequestPlanner;
let sender: Sender;

beforeAll(async () => {
  app = await startTestApp();
  catalog = await seedCatalog(app);
  const doc = (await (await app.request("/openapi.json")).json()) as OpenApiDoc;
  ops = operationsOf(doc).filter((o) => !ONLY || ONLY.includes(o.id));
  const checker = new SchemaChecker(doc);
  planner = new RequestPlanner(new ValueGenerator(checker), checker, catalog);
  sender = new Sender(app, catalog, operationsOf(doc), new ValueGenerator(checker), checker);
}, 300_000);
afterAll(() => app?.stop());

// ---- principals, made once per (kind, permission, organization) ----------------------------

const principals = new Map<string, string>();
let serial = 0;

/** A role granting exactly `grants` (made once per set). */
async function role(name: string, grants: readonly string[]): Promise<string> {
  const slug = `stamp-${name}`.replaceAll(/[^a-z0-9-]/g, "-").slice(0, 63);
  if (!principals.has(`role:${slug}`)) {
    await createRole(app.db.graph, { slug, name: slug, permissions: [...grants] });
    principals.set(`role:${slug}`, slug);
  }
  return slug;
}

/**
 * A token of a user who is a member of `org` with a role of exactly `grants` (none: no org), made
 * once per key. Each call logs in anew: an operation sent before (logout) may have ended the
 * principal's earlier sessions.
 */
async function principal(key: string, grants: readonly string[] | null, org: string | null): Promise<string> {
  let email = principals.get(key);
  if (!email) {
    email = `stamp-${++serial}@stamp.test`;
    await createUser(app.db.graph, { email, display_name: key });
    if (grants && org) await addMembership(app.db.graph, email, org, await role(key, grants));
    principals.set(key, email);
  }
  const { access_token } = await issueSession(app.services, email, { ip: "127.0.0.1", userAgent: "stamp" });
  return access_token;
}

const only = (p: string, org: string) => principal(`only-${p}-${org}`, [p], org);
const allBut = (p: string, org: string) =>
  principal(
    `allbut-${p}-${org}`,
    PERMISSIONS.filter((x) => x !== p),
    org,
  );
const nobody = () => principal("nobody", null, null);

// ---- requests ---------------------------------------------------------------------------------

/** A schema-valid request for `op` (deterministic), or undefined when none can be made. */
function validRequest(op: Operation): Planned | undefined {
  const arb = planner.valid(op) as fc.Arbitrary<Planned | undefined>;
  return fc.sample(arb, { seed: 9_090, numRuns: 20 }).find((p) => p !== undefined);
}

/**
 * Sends `p` as `token`; destructive operations get a fresh entity (the victim's path values). A
 * function is given the organization the request is finally sent to (a victim may be an
 * organization of its own) and returns the token to send.
 */
async function statusOf(
  p: Planned,
  token: string | null | ((org: string) => Promise<string>),
): Promise<number> {
  let planned = p;
  if (p.victim) {
    const v = await victim(app, catalog, p.op.id);
    if (v) planned = { ...p, path: { ...p.path, ...v.params }, victim: false };
  }
  const as =
    typeof token === "function" ? await token(decodeURIComponent(planned.path.org ?? catalog.org)) : token;
  return (await sender.send(planned, { token: as })).answer.status;
}

const passes = (status: number) => status !== 401 && status !== 403;

describe("x-imbi-permission is exactly what is enforced", () => {
  it("every operation declares where its permission is evaluated", () => {
    const missing = ops.filter((o) => !SCOPES.includes(o.access ?? "")).map((o) => o.id);
    expect(missing).toEqual([]);
  });

  it("with real principals, for every operation", { timeout: 900_000 }, async () => {
    const wrong: string[] = [];
    const expectThat = (op: Operation, who: string, status: number, ok: boolean) => {
      if (!ok) wrong.push(`${op.id} (${op.access} ${op.permission.join("|")}) as ${who}: ${status}`);
    };
    for (const op of ops) {
      if (op.access === "public" || op.access === undefined) continue;
      const p = validRequest(op);
      if (!p) {
        wrong.push(`${op.id}: no schema-valid request could be made`);
        continue;
      }
      const s401 = await statusOf(p, null);
      expectThat(op, "nobody (no token)", s401, s401 === 401);
      const [perm] = op.permission;
      const pathOrg = p.path.org ? decodeURIComponent(p.path.org) : undefined;
      switch (op.access) {
        case "authenticated": {
          const s = await statusOf(p, await nobody());
          expectThat(op, "a user of no organization", s, passes(s));
          break;
        }
        case "organization": {
          if (!perm || !pathOrg) {
            wrong.push(`${op.id}: organization access needs one permission and an {org} path`);
            break;
          }
          const other = pathOrg === SYSTEM_ORG ? catalog.org : SYSTEM_ORG;
          // The organization sent to, which a victim may replace with one of its own.
          const denied = [
            ["everything but it in the organization", (org: string) => allBut(perm, org)],
            [`it in '${other}' only`, () => only(perm, other)],
          ] as const;
          for (const [who, token] of denied) {
            const s = await statusOf(p, token);
            expectThat(op, who, s, s === 403);
          }
          const s = await statusOf(p, (org) => only(perm, org));
          expectThat(op, "it alone in the organization", s, passes(s));
          break;
        }
        case "global": {
          if (!perm) {
            wrong.push(`${op.id}: global access needs one permission`);
            break;
          }
          const denied = [
            ["everything but it in the system organization", await allBut(perm, SYSTEM_ORG)],
            [`it in '${catalog.org}' only`, await only(perm, catalog.org)],
          ] as const;
          for (const [who, token] of denied) {
            const s = await statusOf(p, token);
            expectThat(op, who, s, s === 403);
          }
          const s = await statusOf(p, await only(perm, SYSTEM_ORG));
          expectThat(op, "it alone in the system organization", s, passes(s));
          break;
        }
        case "anywhere": {
          if (!perm) {
            wrong.push(`${op.id}: anywhere access needs one permission`);
            break;
          }
          const denied = await statusOf(p, await nobody());
          expectThat(op, "a user of no organization", denied, denied === 403);
          const s = await statusOf(p, await only(perm, catalog.org));
          expectThat(op, `it alone in '${catalog.org}'`, s, passes(s));
          break;
        }
        case "custom": {
          const s = await statusOf(p, await nobody());
          expectThat(op, "a user of no organization", s, s < 200 || s >= 300);
          break;
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
