import { orgOf } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import type { ScoreLevel } from "./engine.ts";
import * as store from "./levels.ts";

// An organization's score levels (e.g. Bronze ≥ 50, Silver ≥ 75, Gold ≥ 90). Levels are derived
// from scores when read, so changing them queues no rescoring. Storage is ./levels.ts.

/** The organization's levels, ascending; empty when none are set. */
export const getScoreLevels = defineVerb({
  name: "getScoreLevels",
  access: { scope: "organization", permission: "organization:read" },
  async run(ctx, _input: Record<string, never>) {
    return { levels: await store.getLevels(ctx.services.graph, orgOf(ctx).slug) };
  },
});

/** Replaces the levels (names and thresholds unique; an empty list removes them). */
export const setScoreLevels = defineVerb({
  name: "setScoreLevels",
  access: { scope: "organization", permission: "organization:update" },
  async run(ctx, input: { levels: ScoreLevel[] }) {
    const org = orgOf(ctx).slug;
    const levels = await store.setLevels(ctx.services.graph, org, input.levels);
    ctx.audit({
      event: "score_levels_changed",
      organization: org,
      details: { levels: levels.map((l) => ({ name: l.name, min_score: l.min_score })) },
    });
    return { levels };
  },
});
