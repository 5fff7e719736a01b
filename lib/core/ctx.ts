import { nanoid } from "nanoid";
import type { AnalyticsRow } from "../analytics/index.ts";
import { DomainError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { ScoreReason } from "../scoring/types.ts";
import type { Services } from "../services.ts";
import { type Actor, type ActorKind, type Credential, credentialLabel } from "./actor.ts";
import { createGrants, type Grants } from "./grants.ts";

/** The organization a call acts in: its slug as the caller named it, its id once resolved. */
export interface OrgScope {
  slug: string;
  /** Null when no organization has this slug (verbs answer 404 after authorizing). */
  id: string | null;
}

/**
 * Whom an audit row names when it is not the context's actor: a login or a refresh runs as
 * anonymous but its row names the user and the session it opened; a failed login names the
 * email tried, as an anonymous actor without a credential. An {@link Actor} is one.
 */
export interface AuditActor {
  kind: ActorKind;
  /** A user's email, a service account's slug, a system component's name. */
  id: string;
  /** The credential the actor used; null when it presented none that was accepted. */
  credential: Credential | null;
}

/** An audit row as a verb writes it: who, request and time are filled in by the context. */
export type AuditEntry = Omit<
  AnalyticsRow<"audit_log">,
  "id" | "occurred_at" | "actor" | "actor_kind" | "credential" | "request_id"
> & {
  /** Defaults to the context's actor. */
  actor?: AuditActor;
};

/** The `actor`, `actor_kind` and `credential` columns of a row naming `who`. */
export function auditActorColumns(who: AuditActor): {
  actor: string;
  actor_kind: ActorKind;
  credential: string;
} {
  // An anonymous actor has proved nothing: ANONYMOUS carries `internal` only to fill the type.
  const credential =
    who.kind === "anonymous" || who.credential === null ? "" : credentialLabel(who.credential);
  return { actor: who.id, actor_kind: who.kind, credential };
}

/**
 * Everything a verb needs, whichever door called it: the stores, the actor and their grants, the
 * organization acted in, and what every write needs (audit rows, rescoring, background work, the
 * log, the clock). Built once per request (HTTP), tool call (MCP), delivery (webhooks) or command.
 */
export interface Ctx {
  readonly services: Services;
  readonly actor: Actor;
  readonly grants: Grants;
  readonly org: OrgScope | null;
  readonly log: Logger;
  readonly requestId: string;
  now(): Date;
  /** Records an audit row after the response (never blocks or fails the call). */
  audit(entry: AuditEntry): void;
  /** Asks for the projects' rescore after the response (never fails the call). */
  rescore(projectIds: readonly string[], reason: ScoreReason): void;
  /** Runs work after the response; the host waits for it before closing connections. */
  background(work: Promise<unknown>): void;
}

/** What a door supplies to build a context. */
export interface CtxInit {
  services: Services;
  actor: Actor;
  org?: OrgScope | null;
  /** Grants already partly loaded by the door (e.g. the role read during authentication). */
  grants?: Grants;
  requestId?: string;
  now?: () => Date;
}

/** Builds the context of one call. */
export function createCtx(init: CtxInit): Ctx {
  const { services, actor } = init;
  const requestId = init.requestId ?? services.requestId ?? "";
  return {
    services,
    actor,
    grants: init.grants ?? createGrants(services.graph, actor, services.env.IMBI_SYSTEM_ORGANIZATION),
    org: init.org ?? null,
    log: services.log,
    requestId,
    now: init.now ?? (() => new Date()),
    audit({ actor: named, ...entry }) {
      const row: AnalyticsRow<"audit_log"> = {
        ...entry,
        ...auditActorColumns(named ?? actor),
        id: `aud_${nanoid()}`,
        occurred_at: new Date().toISOString(),
        request_id: requestId,
      };
      services.background(
        services.analytics.insert("audit_log", [row]).then((r) => {
          if (r.err) services.log.warn("audit write failed", { event: row.event, error: r.err.message });
        }),
      );
    },
    rescore(projectIds, reason) {
      if (projectIds.length === 0) return;
      const requests = projectIds.map((project_id) => ({ project_id, reason, requested_by: actor.id }));
      services.background(
        services.scores.enqueue(requests).catch((e: unknown) => {
          services.log.warn("score recompute request failed", {
            reason,
            error: e instanceof Error ? e.message : String(e),
          });
        }),
      );
    },
    background: (work) => services.background(work),
  };
}

/** The organization of a context, resolved; 404 when the named one does not exist. */
export function orgOf(ctx: Ctx): { id: string; slug: string } {
  if (!ctx.org) throw new Error("this operation needs an organization, and its door gave none");
  if (ctx.org.id === null) throw new DomainError("NOT_FOUND", `No organization with slug '${ctx.org.slug}'.`);
  return { id: ctx.org.id, slug: ctx.org.slug };
}
