import {
  DEMO_BLUEPRINT,
  DEMO_ENVIRONMENTS,
  DEMO_LEVELS,
  DEMO_LINKS,
  DEMO_ORG,
  DEMO_POLICIES,
  DEMO_PROJECTS,
  DEMO_RELEASES,
  DEMO_TEAMS,
  DEMO_TYPES,
  titleOf,
} from "./dataset.ts";

/** Sends one request through the API (in process, or over HTTP). */
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<Response>;

/** What {@link loadDemo} created. */
export interface DemoReport {
  skipped: boolean;
  projects: number;
  dependencies: number;
}

async function expectOk(res: Response, what: string, allowConflict = false): Promise<unknown> {
  if (res.ok) return res.status === 204 ? null : res.json();
  if (allowConflict && res.status === 409) return null;
  throw new Error(`demo: ${what} failed with ${res.status}: ${await res.text()}`);
}

/**
 * Loads the demo organization through the public API, so every blueprint, validation and event
 * rule applies exactly as for a user. Skips when the organization already exists.
 */
export async function loadDemo(api: ApiCall): Promise<DemoReport> {
  const org = await api("POST", "/api/organizations", DEMO_ORG);
  if (org.status === 409) return { skipped: true, projects: 0, dependencies: 0 };
  await expectOk(org, "organization");
  const base = `/api/organizations/${DEMO_ORG.slug}`;
  await expectOk(await api("POST", "/api/blueprints", DEMO_BLUEPRINT), "blueprint", true);
  for (const policy of DEMO_POLICIES)
    await expectOk(await api("POST", "/api/scoring/policies", policy), `policy ${policy.slug}`, true);
  await expectOk(await api("PUT", `${base}/scores/levels`, { levels: DEMO_LEVELS }), "score levels");
  for (const t of DEMO_TEAMS) await expectOk(await api("POST", `${base}/teams`, t), `team ${t.slug}`);
  for (const t of DEMO_TYPES) await expectOk(await api("POST", `${base}/project-types`, t), `type ${t.slug}`);
  for (const e of DEMO_ENVIRONMENTS)
    await expectOk(await api("POST", `${base}/environments`, e), `environment ${e.slug}`);
  for (const l of DEMO_LINKS)
    await expectOk(await api("POST", `${base}/link-definitions`, l), `link ${l.slug}`);

  const ids = new Map<string, string>();
  let dependencies = 0;
  for (const [i, p] of DEMO_PROJECTS.entries()) {
    const deployable = p.type !== "library" && p.type !== "database";
    const created = (await expectOk(
      await api("POST", `${base}/projects`, {
        name: titleOf(p.slug),
        slug: p.slug,
        description: `${titleOf(p.slug)} — owned by ${p.team}`,
        team: p.team,
        project_types: [p.type],
        environments: deployable
          ? Object.fromEntries(
              DEMO_ENVIRONMENTS.map((e) => [e.slug, { url: `https://${p.slug}.${e.slug}.demo.example.com` }]),
            )
          : {},
        // Some services have a dashboard and the critical ones a runbook, so scores differ.
        links: {
          repository: `https://git.example.com/demo/${p.slug}`,
          ...(i % 2 === 0 ? { dashboard: `https://grafana.example.com/d/${p.slug}` } : {}),
          ...(p.tier <= 2 ? { runbook: `https://wiki.example.com/runbooks/${p.slug}` } : {}),
        },
        identifiers: { sentry: `demo-${p.slug}` },
        tier: p.tier,
        language: p.language,
        oncall: `${p.team}-primary`,
      }),
      `project ${p.slug}`,
    )) as { id: string };
    ids.set(p.slug, created.id);
    for (const dep of p.deps) {
      const target = ids.get(dep);
      if (!target) throw new Error(`demo: ${p.slug} depends on ${dep}, which is not defined before it`);
      await expectOk(
        await api("POST", `${base}/projects/${created.id}/relationships/${target}`),
        `dependency ${p.slug} → ${dep}`,
      );
      dependencies++;
    }
  }
  let run = 0;
  for (const set of DEMO_RELEASES) {
    const project = `${base}/projects/${set.project}`;
    for (const r of set.releases)
      await expectOk(
        await api("POST", `${project}/releases`, { version: r.version, title: r.title }),
        `release ${set.project} ${r.version}`,
      );
    for (const d of set.deployments) {
      run++;
      const what = d.version.startsWith("ref:") ? { ref: d.version.slice(4) } : { version: d.version };
      await expectOk(
        await api("POST", `${project}/deployments`, {
          environment: d.environment,
          status: d.status,
          ...what,
          external_run_id: `demo-run-${run}`,
          external_run_url: `https://ci.example.com/demo/${set.project}/runs/${run}`,
          performed_by: "ci@demo.example.com",
        }),
        `deployment ${set.project} ${d.version} → ${d.environment}`,
      );
    }
    // Published and blocked last: a blocked release can no longer be deployed.
    for (const r of set.releases) {
      if (r.published)
        await expectOk(await api("POST", `${project}/releases/${r.version}/publish`), `publish ${r.version}`);
      if (r.blocker)
        await expectOk(
          await api("POST", `${project}/releases/${r.version}/blockers`, { reason: r.blocker }),
          `blocker ${r.version}`,
        );
    }
  }
  return { skipped: false, projects: ids.size, dependencies };
}
