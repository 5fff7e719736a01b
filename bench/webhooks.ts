// Inbound webhook benchmark against a real `imbi serve` (embedded stores, loopback):
//   1. Receiver throughput: GitHub-signed deployment_status deliveries acknowledged per second
//      (verify the HMAC, store, 202; the rules run after each response on the same process), next
//      to the same host's `GET /status` (the floor: the HTTP stack alone) and to the duplicate path
//      (a delivery id already stored: verified and acknowledged, nothing stored).
//   2. Delivery → visible latency: sequential deliveries of new CI runs, each timed from the POST
//      until `GET …/deployments` shows the run (what a dashboard waiting on GitHub would see).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { type LoadResult, load, quantile, startImbi, table } from "./lib.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Sequential deliveries in the latency part. */
const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 100);
const POLL_MS = 5;

/** A GitHub `deployment_status` event of run `run`. */
const event = (run: number, state = "success") =>
  JSON.stringify({
    action: "created",
    deployment_status: { state, target_url: `https://github.com/acme/api/actions/runs/${run}` },
    deployment: { id: run, ref: "v1.0.0", sha: "a1b2c3d", environment: "production" },
    repository: { id: 4242, full_name: "acme/api" },
    sender: { login: "octocat" },
  });

export async function webhooks(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "imbi-bench-webhooks-"));
  const imbi = await startImbi(dataDir, {
    // The per-webhook limit would otherwise be the figure measured.
    IMBI_WEBHOOKS_RATE_LIMIT: "100000000/minute",
  });
  try {
    const base = imbi.base;
    const access_token = await imbi.login();
    const auth = { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}/api${path}`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`bench: POST ${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const me = (await (await fetch(`${base}/api/users/me`, { headers: auth })).json()) as {
      organizations?: { slug: string }[];
    };
    const org = me.organizations?.[0]?.slug ?? "default";
    const o = `/organizations/${org}`;
    await post(`${o}/teams`, { slug: "core", name: "Core" });
    await post(`${o}/project-types`, { slug: "api", name: "API" });
    await post(`${o}/environments`, { slug: "production", name: "Production" });
    await post("/service-accounts", { slug: "bench-gateway", display_name: "Bench gateway" });
    await post("/service-accounts/bench-gateway/organizations", { organization: org, role: "imbi-gateway" });
    const project = await post(`${o}/projects`, {
      slug: "api",
      name: "API",
      team: "core",
      project_types: ["api"],
      identifiers: { github: "4242" },
    });
    const hook = await post(`${o}/webhooks`, {
      slug: "github",
      name: "GitHub",
      service_account: "bench-gateway",
      rules: [
        {
          name: "Record deployments",
          filter: 'event == "deployment_status"',
          action: "record_deployment",
          config: {
            environment: "payload.deployment.environment",
            version: "payload.deployment.ref",
            external_run_id: "string(payload.deployment.id)",
          },
        },
      ],
    });
    const url = `${base}/api${hook.path}`;
    const secret = String(hook.secret);
    const body = event(1);
    const headers = {
      "content-type": "application/json",
      "x-github-event": "deployment_status",
      "x-hub-signature-256": await sign(secret, body),
    };

    // 1. Throughput. Without X-GitHub-Delivery every request is a new delivery (stored and run);
    // the rule updates run 1 in place, so the database does not grow a deployment per request.
    const results: LoadResult[] = [];
    results.push(await load("GET /status (floor)", `${base}/status`, { seconds: SECONDS }));
    results.push(
      await load("POST /webhooks/{id} new delivery", url, {
        seconds: SECONDS,
        method: "POST",
        headers,
        body,
      }),
    );
    await fetch(url, { method: "POST", headers: { ...headers, "x-github-delivery": "dup" }, body });
    results.push(
      await load("POST /webhooks/{id} duplicate id", url, {
        seconds: SECONDS,
        method: "POST",
        headers: { ...headers, "x-github-delivery": "dup" },
        body,
      }),
    );
    const floor = results[0]?.rps ?? 1;
    console.log(`\nInbound webhooks on the Node host (embedded stores, ${SECONDS} s each, 20 connections)\n`);
    console.log(
      table(
        ["case", "req/s", "p50 ms", "p99 ms", "floor/this", "errors", "non-2xx"],
        results.map((r) => [
          r.name,
          Math.round(r.rps),
          r.p50,
          r.p99,
          floor / Math.max(r.rps, 0.001),
          r.errors,
          r.non2xx,
        ]),
      ),
    );

    // The rules run behind the acknowledgements: time how long the backlog the throughput run left
    // takes to drain (the processing rate), before timing single deliveries on an idle queue.
    const backlogStart = performance.now();
    const pendingLeft = async () => {
      const res = await fetch(`${base}/api${o}/webhooks/github/deliveries?status=pending&limit=1`, {
        headers: auth,
      });
      return ((await res.json()) as { data: unknown[] }).data.length > 0;
    };
    while (await pendingLeft()) await new Promise((r) => setTimeout(r, 100));
    const drainSeconds = (performance.now() - backlogStart) / 1000;
    const stored = Math.round((results[1]?.rps ?? 0) * SECONDS);
    console.log(
      `\nProcessing: the ~${stored} stored deliveries drained in ${drainSeconds.toFixed(1)} s after the load ended` +
        ` (≈ ${Math.round(stored / Math.max(drainSeconds + SECONDS, 0.001))} deliveries/s through the rules, counting the load's ${SECONDS} s)`,
    );

    // 2. Delivery → visible latency.
    const visible = async (run: string) => {
      const res = await fetch(`${base}/api${o}/projects/${project.id}/deployments?limit=5`, {
        headers: auth,
      });
      const page = (await res.json()) as { data: { external_run_id: string | null }[] };
      return page.data.some((d) => d.external_run_id === run);
    };
    const ack: number[] = [];
    const seen: number[] = [];
    for (let i = 0; i < DELIVERIES; i++) {
      const run = 100_000 + i;
      const b = event(run);
      const start = performance.now();
      const res = await fetch(url, {
        method: "POST",
        headers: {
          ...headers,
          "x-hub-signature-256": await sign(secret, b),
          "x-github-delivery": `lat-${run}`,
        },
        body: b,
      });
      if (res.status !== 202) throw new Error(`bench: delivery → ${res.status} ${await res.text()}`);
      ack.push(performance.now() - start);
      for (let polls = 0; !(await visible(String(run))); polls++) {
        if (polls > 4000) throw new Error(`bench: run ${run} never became visible`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      seen.push(performance.now() - start);
    }
    ack.sort((a, b) => a - b);
    seen.sort((a, b) => a - b);
    console.log(`\nDelivery → visible (${DELIVERIES} sequential deliveries, polling every ${POLL_MS} ms)\n`);
    console.log(
      table(
        ["measure", "p50 ms", "p95 ms", "p99 ms", "max ms"],
        [
          ["202 acknowledged", quantile(ack, 0.5), quantile(ack, 0.95), quantile(ack, 0.99), ack.at(-1) ?? 0],
          [
            "deployment visible",
            quantile(seen, 0.5),
            quantile(seen, 0.95),
            quantile(seen, 0.99),
            seen.at(-1) ?? 0,
          ],
        ],
      ),
    );
  } finally {
    await imbi.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
