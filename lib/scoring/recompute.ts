// The score consumer's work (functions/score-consumer): recompute a batch of projects and record
// what changed. The hard invariant (reference §6): the history row reaches the analytics store
// BEFORE the graph is updated, and nothing is written when the score did not change. A history row's
// id is derived from (message, project, score), so a redelivered message writes one row.

import type { Graph } from "../graph/graph.ts";
import { prop, SqlParams, table } from "../graph/sql.ts";
import type { Services } from "../services.ts";
import { publishEvents } from "../webhooks/events.ts";
import { type ScoreResult, type ScoringSubject, scoreProject } from "./engine.ts";
import { enabledPolicies } from "./policies.ts";
import { usesRelationships } from "./policy.ts";
import { dependencyPairs, knownAttributes, type LoadedProject, levelsOf, loadProjects } from "./subjects.ts";
import type { MessageOutcome, ScoreMessage } from "./types.ts";

/** A project's freshly computed score, with what was stored before. */
export interface Evaluation {
  project: LoadedProject;
  result: ScoreResult;
}

/** Computes the scores of projects (unknown ids are left out) with the live policies, levels and blueprints. */
export async function evaluateProjects(
  graph: Graph,
  projectIds: readonly string[],
  now = new Date(),
): Promise<Map<string, Evaluation>> {
  // One statement at a time: a per-request client on Workers may otherwise open a second connection.
  const projects = await loadProjects(graph, projectIds);
  const policies = await enabledPolicies(graph);
  const subjects = [...projects.values()].map((p) => p.subject);
  const known = await knownAttributes(graph, subjects);
  const levels = await levelsOf(
    graph,
    [...projects.values()].map((p) => p.orgId),
  );
  const neighbours = policies.some(usesRelationships)
    ? await loadNeighbours(graph, [...projects.keys()], projects)
    : null;
  const out = new Map<string, Evaluation>();
  for (const [id, project] of projects) {
    const input = {
      project: project.subject,
      knownAttributes: known.get(id) ?? null,
      neighbours: neighbours?.get(id) ?? { outgoing: [], incoming: [] },
    };
    out.set(id, {
      project,
      result: scoreProject(input, policies, { now, levels: levels.get(project.orgId) }),
    });
  }
  return out;
}

type Neighbours = { outgoing: ScoringSubject[]; incoming: ScoringSubject[] };

/** One hop of DEPENDS_ON both ways for each project, as scoring subjects. */
async function loadNeighbours(
  graph: Graph,
  ids: string[],
  loaded: Map<string, LoadedProject>,
): Promise<Map<string, Neighbours>> {
  const pairs = await dependencyPairs(graph, ids);
  const missing = [...new Set(pairs.flatMap((p) => [p.source, p.target]))].filter((id) => !loaded.has(id));
  const others = await loadProjects(graph, missing);
  const subject = (id: string) => (loaded.get(id) ?? others.get(id))?.subject;
  const out = new Map<string, Neighbours>(ids.map((id) => [id, { outgoing: [], incoming: [] }]));
  for (const { source, target } of pairs) {
    const t = subject(target);
    const s = subject(source);
    if (t) out.get(source)?.outgoing.push(t);
    if (s) out.get(target)?.incoming.push(s);
  }
  return out;
}

/**
 * A history row's id names the state transition it records — the project, the stored score and
 * when it was stored, the new score — not the message that asked. Two computations from the same
 * stored state that reach the same score are one change: a redelivered message, or another message
 * (the daily recompute) handled while a killed consumer's batch had written its history but not
 * yet the graph, write the same id, which every read counts once.
 */
async function historyId(
  projectId: string,
  stored: { score: number | null; scoredAt: string | null },
  score: number,
): Promise<string> {
  const bytes = new TextEncoder().encode(
    `${projectId}\u0000${stored.score ?? "none"}\u0000${stored.scoredAt ?? "never"}\u0000${score}`,
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `sh_${[...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** One score to store on a Project vertex. */
interface ScoreWrite {
  id: string;
  score: number | null;
  previous_score: number | null;
  scored_at: string;
}

/**
 * Sets `score`, `previous_score` and `scored_at` on many Project vertices in one SQL statement
 * (a property merge on AGE's label table, located through the project-id index).
 */
export async function writeScores(graph: Graph, writes: ScoreWrite[]): Promise<void> {
  for (let i = 0; i < writes.length; i += 2_000) {
    const chunk = writes.slice(i, i + 2_000).map((w) => ({
      id: w.id,
      patch: { score: w.score, previous_score: w.previous_score, scored_at: w.scored_at },
    }));
    const ps = new SqlParams();
    const rows = ps.raw(JSON.stringify(chunk));
    await graph.sql.unsafe(
      `UPDATE ${table(graph, "Project")} p
       SET properties = (p.properties::text::jsonb || u.patch)::text::ag_catalog.agtype
       FROM (SELECT (e->'id')::text::ag_catalog.agtype AS id, e->'patch' AS patch
             FROM jsonb_array_elements(${rows}::text::jsonb) e) u
       WHERE ${prop("p", "id")} = u.id`,
      ps.values,
    );
  }
}

/**
 * Processes one batch of queue messages: every project is recomputed once (duplicates share the
 * first message's id); changed scores get a `score_history` row — written to the primary analytics
 * store, so a ClickHouse outage fails the batch and the queue retries it — then the graph. Deleted
 * projects and unchanged scores are acked without writes.
 */
export async function recomputeBatch(
  s: Services,
  batch: readonly ScoreMessage[],
): Promise<Map<string, MessageOutcome>> {
  const outcome = new Map<string, MessageOutcome>(batch.map((m) => [m.id, "ack"]));
  const first = new Map<string, ScoreMessage>();
  for (const m of batch) if (!first.has(m.project_id)) first.set(m.project_id, m);
  const evaluations = await evaluateProjects(s.graph, [...first.keys()]);
  const now = new Date().toISOString();
  const history = [];
  const writes: ScoreWrite[] = [];
  for (const [id, { project, result }] of evaluations) {
    if (result.score === project.score) continue;
    writes.push({ id, score: result.score, previous_score: project.score, scored_at: now });
    // Cleared scores (no policy applies any more) are not history (reference §6).
    if (result.score === null) continue;
    const msg = first.get(id) as ScoreMessage;
    history.push({
      id: await historyId(id, project, result.score),
      occurred_at: now,
      project_id: id,
      org_id: project.orgId,
      team: project.subject.team,
      project_types: project.subject.project_types,
      score: result.score,
      previous_score: project.score,
      level: result.level ?? "",
      change_reason: msg.reason,
      breakdown: result.breakdown as unknown as Record<string, never>,
    });
  }
  const retryAll = () => new Map(batch.map((m) => [m.id, "retry" as const]));
  if (history.length > 0) {
    const res = await s.analyticsPrimary.insert("score_history", history);
    if (res.err) {
      s.log.warn("score history write failed; the batch will be retried", { error: res.err.message });
      return retryAll();
    }
  }
  if (writes.length > 0) {
    await writeScores(s.graph, writes);
    await publishEvents(
      s,
      writes.map((w) => {
        const { project, result } = evaluations.get(w.id) as NonNullable<ReturnType<typeof evaluations.get>>;
        return {
          orgId: project.orgId,
          organization: null,
          entityType: "score",
          entityId: w.id,
          action: "changed",
          projectId: w.id,
          team: project.subject.team,
          principal: first.get(w.id)?.requested_by ?? "system",
          occurredAt: now,
          data: { score: w.score, previous_score: w.previous_score, level: result.level ?? null },
        };
      }),
    );
  }
  s.log.debug("scores recomputed", {
    messages: batch.length,
    projects: evaluations.size,
    changed: writes.length,
  });
  return outcome;
}
