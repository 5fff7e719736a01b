import { request } from "node:http";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImbiServe, startImbiServe } from "../../test/harness/web.ts";

// The gateway against a running `imbi serve --demo` (the Node host, embedded stores, a real
// socket): GitHub-signed deliveries are acknowledged, the rules run after the response on the
// host's in-process queue, and what they wrote is visible through the API — deployment, release,
// operations-log entry, score, delivery log. Also what only a real socket shows: a body streamed
// without Content-Length past the limit is cut off with 413.

let imbi: ImbiServe;
let project: { id: string; slug: string };
let hook: { path: string; secret: string };

const json = async (res: Response, status: number) => {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as Record<string, unknown>;
};

/** Posts a GitHub-shaped delivery over the socket. */
async function deliver(event: string, payload: unknown, secret = hook.secret) {
  const body = JSON.stringify(payload);
  return fetch(`${imbi.url}/api${hook.path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": await sign(secret, body),
    },
    body,
  });
}

beforeAll(async () => {
  imbi = await startImbiServe({ IMBI_WEBHOOKS_MAX_BODY_BYTES: "16384" });
  const page = await json(await imbi.api("GET", "/api/organizations/demo/projects?limit=1"), 200);
  project = (page.data as { id: string; slug: string }[])[0] as { id: string; slug: string };
  await json(
    await imbi.api("PATCH", `/api/organizations/demo/projects/${project.id}`, [
      { op: "add", path: "/identifiers/github", value: "8675309" },
    ]),
    200,
  );
  await json(
    await imbi.api("POST", "/api/service-accounts", { slug: "demo-github", display_name: "GitHub" }),
    201,
  );
  await json(
    await imbi.api("POST", "/api/service-accounts/demo-github/organizations", {
      organization: "demo",
      role: "imbi-gateway",
    }),
    201,
  );
  hook = (await json(
    await imbi.api("POST", "/api/organizations/demo/webhooks", {
      slug: "github",
      name: "GitHub",
      service_account: "demo-github",
      rules: [
        {
          name: "Cut releases",
          filter: 'event == "release"',
          action: "create_release",
          config: { version: "payload.release.tag_name" },
        },
        {
          name: "Record deployments",
          filter: 'event == "deployment_status"',
          action: "record_deployment",
          config: {
            environment: "payload.deployment.environment",
            version: "payload.deployment.ref",
            external_run_id: "string(payload.deployment.id)",
            external_run_url: "payload.deployment_status.target_url",
          },
        },
      ],
    }),
    201,
  )) as { path: string; secret: string };
});

afterAll(async () => {
  await imbi?.stop();
});

describe("the webhook gateway on a running host", () => {
  it("turns signed GitHub deliveries into a release, a deployment, an ops-log entry and a delivery log", async () => {
    const repo = { id: 8675309, full_name: "demo/service" };
    expect(
      (await deliver("release", { action: "published", release: { tag_name: "3.1.0" }, repository: repo }))
        .status,
    ).toBe(202);
    for (const state of ["in_progress", "success"])
      expect(
        (
          await deliver("deployment_status", {
            deployment_status: { state, target_url: "https://github.com/demo/service/actions/runs/55" },
            deployment: { id: 55, ref: "3.1.0", environment: "production" },
            repository: repo,
            sender: { login: "hubot" },
          })
        ).status,
      ).toBe(202);

    // The rules run after the responses; wait (bounded) until the delivery log says so.
    const base = `/api/organizations/demo`;
    let log: { status: string; outcomes: { status: string }[] }[] = [];
    for (let i = 0; i < 200; i++) {
      log = (await json(await imbi.api("GET", `${base}/webhooks/github/deliveries`), 200)).data as typeof log;
      if (log.length === 3 && log.every((d) => d.status === "processed")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(log.map((d) => [d.status, d.outcomes.map((o) => o.status)])).toEqual([
      ["processed", ["succeeded"]],
      ["processed", ["succeeded"]],
      ["processed", ["succeeded"]],
    ]);
    const deployments = (await json(await imbi.api("GET", `${base}/projects/${project.id}/deployments`), 200))
      .data as Record<string, unknown>[];
    expect(deployments).toEqual([
      expect.objectContaining({
        environment: "production",
        version: "3.1.0",
        status: "success",
        performed_by: "hubot",
      }),
    ]);
    const current = await json(await imbi.api("GET", `${base}/projects/${project.id}/releases/3.1.0`), 200);
    expect(current).toMatchObject({ version: "3.1.0", created_by: "demo-github" });
    const ops = (
      await json(await imbi.api("GET", `/api/operations-log?project_id=${project.id}&limit=10`), 200)
    ).data as Record<string, unknown>[];
    expect(ops).toContainEqual(
      expect.objectContaining({ entry_type: "Deployed", environment_slug: "production" }),
    );
  });

  it("refuses a wrong signature and cuts off a streamed body past the limit, over a real socket", async () => {
    expect((await deliver("ping", { zen: "hi" }, "another-secret")).status).toBe(401);
    // Chunked, no Content-Length: the limit applies while the body streams in.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${imbi.url}/api${hook.path}`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(`{"padding": "`);
      for (let i = 0; i < 64; i++) req.write("x".repeat(1024));
      req.end(`"}`);
    });
    expect(status).toBe(413);
  });
});
