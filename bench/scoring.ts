// Scoring benchmark: how fast project health scores are recomputed on the 10,000-project fixture in
// the embedded store (PGlite + AGE, the path bench/catalog.ts uses), with 6 policies that all apply.
//   1. Bulk rescore of every project, in projects/s: the consumer's work alone (recomputeBatch, the
//      floor), then through the in-process queue and through Redis Streams (a real redis-server
//      behind the Upstash-REST bridge) with the real `scoreHandler`. Each first pass starts from
//      unscored projects, so every score is written; a second pass changes nothing and shows the
//      compute-only cost.
//   2. Write → score-visible latency over HTTP: sequential PATCHes of a mapped attribute against a
//      real `imbi serve` (debounce 0), polling the project's `score` until it changes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnv, migrateStores, openStores, type Stores, sharedClients } from "../apps/node/host.ts";
import { scoreHandler } from "../functions/score-consumer/index.ts";
import { table as labelTable } from "../lib/graph/sql.ts";
import { seedIdentity } from "../lib/identity/setup.ts";
import { createTrackingRuntime } from "../lib/runtime.ts";
import { setLevels } from "../lib/scoring/levels.ts";
import { createPolicy } from "../lib/scoring/policies.ts";
import { createMemoryScoreQueue } from "../lib/scoring/queue_memory.ts";
import { createRedisScoreQueue } from "../lib/scoring/queue_redis.ts";
import { recomputeBatch } from "../lib/scoring/recompute.ts";
import type { ScoreMessage, ScoreQueue, ScoreRequest } from "../lib/scoring/types.ts";
import { createServices, type Services } from "../lib/services.ts";
import { startRedis, type TestRedis } from "../test/harness/redis.ts";
import { generateBlueprints, generateFixture, LANGS } from "./fixture.ts";
import { ADMIN, quantile, startImbi, table } from "./lib.ts";

const ORG = "bench";
/** Batch sizes of the floor, and of the queues (16 is the queues' default, what `imbi serve` uses). */
const FLOOR_BATCHES = [16, 50, 200];
const QUEUE_BATCHES = [16, 50];
/** Sequential PATCHes per queue in the latency part. */
const WRITES = Number(process.env.BENCH_SCORING_WRITES ?? 200);
/** Pause between two polls of one project's score (one poll in flight at a time). */
const POLL_MS = 5;
const LANGUAGE_SCORES: Record<string, number> = { typescript: 100, go: 90, rust: 80, python: 60, java: 40 };

/** Six policies, one per category that the fixture can feed; every project gets at least five. */
function policies(types: readonly string[]): unknown[] {
  return [
    {
      slug: "language",
      name: "Supported language",
      category: "attribute",
      attribute_name: "language",
      value_score_map: LANGUAGE_SCORES,
      weight: 20,
    },
    {
      slug: "tier",
      name: "Tier",
      category: "attribute",
      attribute_name: "tier",
      range_score_map: { "..1.5": 100, "1.51..2.5": 80, "2.51..": 50 },
      weight: 20,
    },
    {
      slug: "on-call",
      name: "Declares its on-call rotation",
      category: "presence",
      attribute_name: "on_call",
      // The types the "operations" blueprint (the one defining on_call) applies to.
      targets: types.filter((_, i) => i % 3 === 0),
      weight: 10,
    },
    {
      slug: "repository",
      name: "Has a repository link",
      category: "link_presence",
      link_slug: "repository",
      weight: 10,
    },
    {
      slug: "fresh",
      name: "Recently created",
      category: "age",
      attribute_name: "created_at",
      age_score_map: { "<30d": 100, "<365d": 60, ">=365d": 20 },
      weight: 10,
    },
    {
      slug: "no-archived-dependencies",
      name: "Live, and depends on no archived project",
      category: "condition",
      condition: {
        type: "all",
        conditions: [
          { type: "attribute", attribute: "archived", op: "eq", value: false },
          {
            type: "relationship",
            edge: "DEPENDS_ON",
            direction: "outgoing",
            quantifier: "none",
            where: { type: "attribute", attribute: "archived", op: "eq", value: true },
          },
        ],
      },
      weight: 30,
    },
  ];
}

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const secondsSince = (t0: number) => (performance.now() - t0) / 1000;
const ms = (n: number) => Number(n.toFixed(n < 10 ? 2 : 1));
const rate = (n: number) => (n >= 10 ? Math.round(n) : Number(n.toFixed(2)));

/** Forgets every stored score, so the next pass writes all of them. */
async function unscoreAll(s: Services): Promise<void> {
  await s.sql.unsafe(
    `UPDATE ${labelTable(s.graph, "Project")}
     SET properties = (properties::text::jsonb - 'score' - 'previous_score' - 'scored_at')::text::ag_catalog.agtype`,
  );
}

/** How many projects got their score written at or after `since` (ISO). */
async function writtenSince(s: Services, since: string): Promise<number> {
  const [row] = (await s.sql.unsafe(
    `SELECT count(*)::int AS n FROM ${labelTable(s.graph, "Project")}
     WHERE properties::text::jsonb->>'scored_at' >= $1`,
    [since],
  )) as unknown as { n: number }[];
  return row?.n ?? 0;
}

const request = (project_id: string): ScoreRequest => ({
  project_id,
  reason: "bulk_rescore",
  requested_by: "bench",
});

/** One bulk pass. */
interface Pass {
  name: string;
  batch: number;
  pass: "first" | "unchanged";
  seconds: number;
  enqueueMs: number | null;
  written: number;
}

/**
 * Runs a pass with `run` (returns the enqueue time, if any) over `projects` projects and checks
 * what it wrote: every score on a first pass (they start unscored), none on an unchanged one.
 */
async function timedPass(
  s: Services,
  name: string,
  batch: number,
  pass: Pass["pass"],
  projects: number,
  run: () => Promise<number | null>,
): Promise<Pass> {
  if (pass === "first") await unscoreAll(s);
  const since = new Date().toISOString();
  const t0 = performance.now();
  const enqueueMs = await run();
  const seconds = secondsSince(t0);
  const written = await writtenSince(s, since);
  console.log(
    `scoring: ${name} batch ${batch} ${pass}: ${seconds.toFixed(1)} s, ${written} written` +
      (enqueueMs === null ? "" : `, enqueue ${Math.round(enqueueMs)} ms`),
  );
  const expected = pass === "first" ? projects : 0;
  if (written !== expected)
    throw new Error(`${name} batch ${batch} ${pass}: wrote ${written} scores, expected ${expected}`);
  return { name, batch, pass, seconds, enqueueMs, written };
}

/** The floor: recomputeBatch over every project, `batch` messages at a time, one after another. */
async function floorPass(s: Services, ids: readonly string[], batch: number): Promise<null> {
  const at = new Date().toISOString();
  for (let i = 0; i < ids.length; i += batch) {
    const messages: ScoreMessage[] = ids.slice(i, i + batch).map((id, k) => ({
      ...request(id),
      id: `floor-${at}-${i + k}`,
      requested_at: at,
      attempts: 1,
    }));
    const out = await recomputeBatch(s, messages);
    if ([...out.values()].some((o) => o !== "ack")) throw new Error("floor: a batch asked for a retry");
  }
  return null;
}

/** Enqueues every project on a started queue and waits until `drained` says it is empty. */
async function queuePass(
  queue: ScoreQueue,
  ids: readonly string[],
  drained: () => Promise<void>,
): Promise<number> {
  const t0 = performance.now();
  const res = await queue.enqueue(ids.map(request));
  const enqueueMs = performance.now() - t0;
  if (res.enqueued !== ids.length) throw new Error(`enqueued ${res.enqueued} of ${ids.length}`);
  await drained();
  return enqueueMs;
}

/** Part 1: bulk rescores, per adapter. */
async function bulk(stores: Stores, redis: TestRedis, ids: readonly string[]): Promise<Pass[]> {
  const runtime = createTrackingRuntime("node");
  const shared = sharedClients(stores);
  const s = createServices(stores.env, runtime, shared);
  const handler = scoreHandler(() => createServices(stores.env, runtime, shared));
  const passes: Pass[] = [];
  for (const batch of FLOOR_BATCHES) {
    for (const pass of ["first", "unchanged"] as const)
      passes.push(
        await timedPass(s, "floor (recomputeBatch)", batch, pass, ids.length, () => floorPass(s, ids, batch)),
      );
  }
  for (const batch of QUEUE_BATCHES) {
    const memory = createMemoryScoreQueue({ debounceMs: 0, batchSize: batch });
    memory.start(handler);
    for (const pass of ["first", "unchanged"] as const)
      passes.push(
        await timedPass(s, "in-process queue", batch, pass, ids.length, () =>
          queuePass(memory, ids, () => memory.idle()),
        ),
      );
    await memory.stop();
    if (memory.deadLetters().length > 0) throw new Error("in-process queue: messages were dead-lettered");
  }
  for (const batch of QUEUE_BATCHES) {
    const streams = createRedisScoreQueue({
      url: redis.upstashUrl,
      token: redis.upstashToken,
      prefix: "bench:",
      debounceMs: 0,
      batchSize: batch,
      log: stores.log,
    });
    streams.start(handler);
    const empty = async () => {
      while ((await streams.length()) > 0 || (await streams.pendingCount()) > 0) await sleep(20);
    };
    for (const pass of ["first", "unchanged"] as const)
      passes.push(
        await timedPass(s, "Redis Streams", batch, pass, ids.length, () => queuePass(streams, ids, empty)),
      );
    await streams.stop();
    if ((await streams.deadLetters(1)).length > 0)
      throw new Error("Redis Streams: messages were dead-lettered");
  }
  await s.close();
  await runtime.drain();
  return passes;
}

/** One queue's write → score-visible latencies. */
interface Latency {
  queue: string;
  patchMs: number[];
  visibleMs: number[];
  polls: number;
  timeouts: number;
  startupSeconds: number;
}

/**
 * Part 2: `imbi serve` on the prepared data dir (debounce 0; `extra` env picks the queue), then
 * WRITES sequential PATCHes of `language`, each followed by polling the project until its score
 * differs from before the write.
 */
async function latency(
  dataDir: string,
  queue: string,
  extra: Record<string, string>,
  ids: readonly string[],
): Promise<Latency> {
  const imbi = await startImbi(dataDir, { IMBI_SCORE_DEBOUNCE_SECONDS: "0", ...extra });
  try {
    const base = `${imbi.base}/api/organizations/${ORG}/projects`;
    const access_token = await imbi.login();
    const auth = { Authorization: `Bearer ${access_token}` };
    const read = async (id: string) => {
      const res = await fetch(`${base}/${id}?fields=score,language,archived`, { headers: auth });
      if (!res.ok) throw new Error(`GET project: HTTP ${res.status}`);
      return (await res.json()) as { score: number | null; language: string; archived: boolean };
    };
    const patch = async (id: string, language: string) => {
      const res = await fetch(`${base}/${id}`, {
        method: "PATCH",
        headers: { ...auth, "Content-Type": "application/json-patch+json" },
        body: JSON.stringify([{ op: "replace", path: "/language", value: language }]),
      });
      if (!res.ok) throw new Error(`PATCH project: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    /** PATCHes `id` to the next language and waits until its score changes. */
    const write = async (id: string) => {
      const before = await read(id);
      const language = LANGS[(LANGS.indexOf(before.language) + 1) % LANGS.length] as string;
      const t0 = performance.now();
      await patch(id, language);
      const patchMs = performance.now() - t0;
      const deadline = Date.now() + 60_000;
      for (let polls = 1; Date.now() < deadline; polls++) {
        const now = await read(id);
        if (now.score !== null && now.score !== before.score)
          return { patchMs, visibleMs: performance.now() - t0, polls, timedOut: false };
        await sleep(POLL_MS);
      }
      return { patchMs, visibleMs: performance.now() - t0, polls: 0, timedOut: true };
    };
    const live = [];
    for (const id of ids) {
      if (live.length >= WRITES) break;
      const p = await read(id);
      if (p.archived) continue;
      live.push(id);
      // A write stores the blueprint defaults the fixture left out (on_call: false), which moves
      // the on-call presence score too and can cancel the language change exactly: write each
      // project once with its own language first, so a timed write changes only the language.
      await patch(id, p.language);
    }
    // A started host requests the daily recompute of every project once a day (after
    // IMBI_SCORE_DAILY_HOUR_UTC), and the writes above queued rescores. A new project's first
    // score comes only from its own message, queued behind all of that: once it shows, the queue
    // is drained. (A PATCHed project's score can show early, through a daily message for it.)
    const t0 = performance.now();
    const created = await fetch(base, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({
        slug: `scoring-barrier-${Date.now()}`,
        name: "Scoring barrier",
        team: "team-0",
        project_types: ["type-0"],
        tier: 2,
        language: "go",
      }),
    });
    if (!created.ok) throw new Error(`POST project: HTTP ${created.status} ${await created.text()}`);
    const { id: barrier } = (await created.json()) as { id: string };
    while ((await read(barrier)).score === null) {
      if (performance.now() - t0 > 300_000) throw new Error(`${queue}: the queue never drained`);
      await sleep(50);
    }
    const out: Latency = {
      queue,
      patchMs: [],
      visibleMs: [],
      polls: 0,
      timeouts: 0,
      startupSeconds: secondsSince(t0),
    };
    for (const id of live) {
      const r = await write(id);
      out.patchMs.push(r.patchMs);
      if (r.timedOut) out.timeouts++;
      else out.visibleMs.push(r.visibleMs);
      out.polls += r.polls;
    }
    console.log(
      `scoring: ${queue}: ${out.visibleMs.length} writes timed (backlog drained ${out.startupSeconds.toFixed(1)} s after the preparatory writes)`,
    );
    return out;
  } finally {
    await imbi.stop();
  }
}

/** Runs the scoring benchmark and prints its tables. */
export async function scoring(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "imbi-bench-scoring-"));
  const redis = await startRedis();
  try {
    const stores = await openStores(
      await loadEnv({ IMBI_DATA_DIR: dataDir, ENVIRONMENT: "development", IMBI_LOG_LEVEL: "warn" }),
    );
    let ids: string[];
    let passes: Pass[];
    try {
      await migrateStores(stores);
      await seedIdentity(stores.graph, { adminEmail: ADMIN.email, adminPassword: ADMIN.password });
      const fixture = await generateFixture(stores.graph, ORG);
      await generateBlueprints(stores.graph, fixture);
      for (const p of policies(fixture.types)) await createPolicy(stores.graph, p);
      await setLevels(stores.graph, ORG, [
        { name: "Bronze", min_score: 50 },
        { name: "Silver", min_score: 75 },
        { name: "Gold", min_score: 90 },
      ]);
      console.log(
        `scoring: fixture written in ${fixture.seconds.toFixed(1)} s, then blueprints, 6 policies, levels`,
      );
      ids = fixture.projectIds;
      passes = await bulk(stores, redis, ids);
    } finally {
      await stores.close();
    }
    const sample = ids.filter((_, i) => i % 40 === 13);
    const latencies = [
      await latency(dataDir, "in-process", {}, sample),
      await latency(dataDir, "Redis Streams", { VALKEY_URL: redis.redisUrl }, sample),
    ];
    report(passes, latencies, ids.length);
  } finally {
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function report(passes: Pass[], latencies: Latency[], projects: number): void {
  const floorOf = (p: Pass) =>
    passes.find((f) => f.name.startsWith("floor") && f.batch === p.batch && f.pass === p.pass);
  console.log(
    `\nScoring: bulk rescore of ${projects.toLocaleString("en")} projects (30,000 dependencies, 6 policies, ` +
      "embedded PGlite). first = every project unscored before the pass (every score written); " +
      "unchanged = the same pass again (no writes). this/floor = projects/s against the floor at the same " +
      "batch size and pass.\n",
  );
  console.log(
    table(
      ["case", "batch", "pass", "projects/s", "seconds", "enqueue ms", "written", "this/floor"],
      passes.map((p) => {
        const floor = floorOf(p);
        return [
          p.name,
          p.batch,
          p.pass,
          rate(projects / p.seconds),
          Number(p.seconds.toFixed(2)),
          p.enqueueMs === null ? "—" : Math.round(p.enqueueMs),
          p.written,
          floor ? floor.seconds / p.seconds : "—",
        ];
      }),
    ),
  );
  console.log(
    `\nScoring: write → score visible, ${WRITES} sequential PATCHes of \`language\` through \`imbi serve\` ` +
      `(HTTP, debounce 0, batch 16), polling GET …/projects/{id}?fields=score every ${POLL_MS} ms after each answer. ` +
      "visible = from sending the PATCH to the first poll that shows the new score. Redis Streams: " +
      "`imbi serve` with VALKEY_URL at the bench's redis-server (the host runs its own bridge).\n",
  );
  console.log(
    table(
      [
        "queue",
        "writes",
        "PATCH p50 ms",
        "PATCH p99 ms",
        "visible p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "polls/write",
        "timeouts",
      ],
      latencies.map((l) => {
        const patch = [...l.patchMs].sort((a, b) => a - b);
        const vis = [...l.visibleMs].sort((a, b) => a - b);
        return [
          l.queue,
          l.patchMs.length,
          ms(quantile(patch, 0.5)),
          ms(quantile(patch, 0.99)),
          ms(quantile(vis, 0.5)),
          ms(quantile(vis, 0.95)),
          ms(quantile(vis, 0.99)),
          ms(vis.at(-1) ?? 0),
          Number((l.polls / Math.max(1, vis.length)).toFixed(1)),
          l.timeouts,
        ];
      }),
    ),
  );
}
