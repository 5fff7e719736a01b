// The identity and session verbs called as a door other than HTTP would (an MCP tool, the CLI):
// with a context and an actor, no route in front. Authorization, business rules and audit rows
// must hold there too — a new door cannot forget them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../../test/harness/app.ts";
import { login } from "../auth/session_verbs.ts";
import { type Actor, ANONYMOUS, sessionUser, systemActor } from "../core/actor.ts";
import { createCtx } from "../core/ctx.ts";
import { DomainError } from "../errors.ts";
import { addMembership } from "./membership_verbs.ts";
import { listOrganizations } from "./organization_verbs.ts";
import { createRole } from "./roles.ts";
import { changePassword, getUser } from "./user_verbs.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("alpha");
});
afterAll(() => app?.stop());

const ctxAs = (actor: Actor) => createCtx({ services: app.services, actor });
const user = (email: string) => sessionUser(email, false, "ses_test");
const client = { ip: "192.0.2.7", userAgent: "verb-test" };

/** The DomainError code a call fails with. */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error("expected the call to fail");
}

describe("identity verbs without HTTP", () => {
  it("decide custom access themselves: yourself, else the permission globally", async () => {
    await app.user("solo@imbi.test");
    expect((await getUser(ctxAs(user("solo@imbi.test")), { email: "SOLO@imbi.test" })).email).toBe(
      "solo@imbi.test",
    );
    expect(await failure(getUser(ctxAs(user("solo@imbi.test")), { email: ADMIN.email }))).toBe("FORBIDDEN");
    expect(await failure(getUser(ctxAs(ANONYMOUS), { email: "solo@imbi.test" }))).toBe("UNAUTHENTICATED");
    expect(await failure(listOrganizations(ctxAs(user("solo@imbi.test")), { limit: 10 }))).toBe("FORBIDDEN");
  });

  it("write the audit row with the context's actor", async () => {
    await app.user("reset-me@imbi.test");
    await changePassword(ctxAs(systemActor("imbi-cli")), {
      email: "reset-me@imbi.test",
      new_password: "R3set-by-CLI!",
    });
    await app.drain();
    const rows = (await app.analytics.listAudit({ event: "password_changed", limit: 20 })).data;
    expect(rows.find((r) => r.subject === "reset-me@imbi.test")?.actor).toBe("imbi-cli");
  });

  it("keep the rule that a role handed out grants nothing the caller lacks there", async () => {
    await createRole(app.db.graph, {
      slug: "member-manager",
      name: "Member manager",
      inherits_from: "readonly",
      permissions: ["user:update"],
    });
    await app.user("lead@imbi.test", [{ org: "alpha", role: "member-manager" }]);
    await app.user("joiner@imbi.test");
    const add = (role: string) =>
      addMembership(ctxAs(user("lead@imbi.test")), {
        email: "Joiner@imbi.test",
        organization: "alpha",
        role,
      });
    expect(await failure(add("developer"))).toBe("FORBIDDEN");
    expect(await add("readonly")).toMatchObject({ email: "joiner@imbi.test", organization: "alpha" });
    // In another organization the same caller holds no user:update at all.
    await app.org("beta");
    expect(
      await failure(
        addMembership(ctxAs(user("lead@imbi.test")), {
          email: "joiner@imbi.test",
          organization: "beta",
          role: "readonly",
        }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("log in for an anonymous caller, with the door's client address on the audit row", async () => {
    const { tokens, delayMs } = await login(ctxAs(ANONYMOUS), { ...ADMIN, client });
    expect(tokens.token_type).toBe("Bearer");
    expect(delayMs).toBe(0);
    expect(
      await failure(login(ctxAs(ANONYMOUS), { email: ADMIN.email, password: "Wr0ng!pass", client })),
    ).toBe("INVALID_CREDENTIALS");
    await app.drain();
    const ok = (await app.analytics.listAudit({ event: "login", actor: ADMIN.email, limit: 20 })).data;
    expect(ok.find((r) => r.subject === tokens.session_id)).toMatchObject({
      ip: client.ip,
      user_agent: client.userAgent,
    });
  });
});
