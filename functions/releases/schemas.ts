import { z } from "@hono/zod-openapi";
import { projectRef, slug, timestamp } from "../../lib/http/fields.ts";
import { schemaKeywords } from "../../lib/http/openapi.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";
import { DEPLOYMENT_STATUSES } from "../../lib/releases/releases.ts";
import { versionRule } from "../../lib/releases/version.ts";

const NANO_ID = /^[A-Za-z0-9_-]{21}$/;
const nanoId = (description: string, example: string, name?: string) =>
  z
    .string()
    .regex(NANO_ID, "must be a 21-character Nano-ID")
    .openapi({ description, example, ...(name ? { param: { in: "path" as const, name } } : {}) });

const OrgParam = slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } });

export const OrgParamSchema = z.object({ org: OrgParam });
export const ProjectParamSchema = z.object({
  org: OrgParam,
  project_id: projectRef("The project", "project_id"),
});
// A release is addressed by its id or its version (a webhook action knows only the tag). Any
// version format may be configured, so the rule is the `any` format's: no spaces or control
// characters (a version with `/` must be percent-encoded); `.` and `..` are refused because a URL
// cannot carry them as a segment (they are resolved away). The document gets the pattern's source:
// a regex with the `u` flag would reach it with a trailing `/u`.
const REF_RULE = versionRule("any").pattern;
const DOT_SEGMENTS = [".", ".."];
const ReleaseRef = z
  .string()
  .regex(new RegExp(REF_RULE, "u"), "must be a release id or version (1 to 128 characters, no spaces)")
  .refine((s) => !DOT_SEGMENTS.includes(s), "must not be . or .. (a URL resolves them away)")
  .openapi({
    description:
      "The release: its id (Nano-ID) or its version (e.g. 1.4.0; percent-encode a `/`). The id wins when " +
      "one release's id is another's version; only this project's releases are looked at.",
    example: "1.4.0",
    pattern: REF_RULE,
    ...schemaKeywords({ not: { enum: DOT_SEGMENTS } }),
    param: { in: "path", name: "release_id" },
  });

export const ReleaseParamSchema = ProjectParamSchema.extend({ release_id: ReleaseRef });
export const BlockerParamSchema = ReleaseParamSchema.extend({
  blocker_id: nanoId("Blocker id", "Bk7pR1tYbVx2kQ0aL9sJ3", "blocker_id"),
});
export const DeploymentParamSchema = ProjectParamSchema.extend({
  deployment_id: nanoId("Deployment id", "Dp1tYbVx2kQ0aL9sJ3mN7", "deployment_id"),
});

const Version = z.string().min(1).max(128).openapi({
  description:
    "The release's version, in the server's IMBI_RELEASES_VERSION_FORMAT (semver by default: MAJOR.MINOR.PATCH[-prerelease][+build], optionally prefixed with v); unique per project",
  example: "1.4.0",
});
const Committish = z.string().min(1).max(256).openapi({
  description: "The commit (sha) or tag the release was cut from; unattached deployments of it are attached",
  example: "9fceb02d0ae598e95dc970b74767f19372d61af8",
});

export const CreateReleaseSchema = z
  .object({
    version: Version,
    committish: Committish.nullable().optional(),
    title: z.string().max(256).optional().openapi({ description: "Short title", example: "Faster checkout" }),
    notes: z.string().max(65_536).optional().openapi({
      description: "Release notes (Markdown)",
      example: "- Checkout is 30% faster\n- Fixes #123",
    }),
  })
  .openapi("CreateRelease");

export const ReleaseSchema = z
  .object({
    id: nanoId("Release id (Nano-ID)", "Vx2kQ0aL9sJ3mN7pR1tYb"),
    project_id: z.string().openapi({ description: "The project's id", example: "V1StGXR8_Z5jdHi6B-myT" }),
    version: Version,
    committish: Committish.nullable(),
    title: z.string().openapi({ description: "Short title (may be empty)", example: "Faster checkout" }),
    notes: z.string().openapi({
      description: "Release notes (Markdown, may be empty)",
      example: "- Checkout is 30% faster",
    }),
    created_by: z
      .string()
      .openapi({ description: "Who created it (email or service account)", example: "ada@example.com" }),
    created_at: timestamp("release was created"),
    open_blockers: z.number().int().openapi({
      description: "Open blockers; while above 0 deploying or publishing the release is a 409",
      example: 0,
    }),
    published_at: z.string().nullable().openapi({
      description: "When the release was published (ISO 8601); null until then. A release is published once",
      example: "2024-05-01T12:05:00.000Z",
    }),
    published_by: z.string().nullable().openapi({
      description: "Who published it (email or service account); null until published",
      example: "imbi-gateway",
    }),
    prerelease: z.boolean().openapi({
      description: "Published as a pre-release (an RC, a beta); false until published",
      example: false,
    }),
  })
  .openapi("Release");

export const PublishReleaseSchema = z
  .object({
    prerelease: z.boolean().optional().openapi({
      description: "Publish it as a pre-release (an RC, a beta); default false",
      example: false,
    }),
  })
  .strict()
  .openapi("PublishRelease");

export const CreatedReleaseSchema = ReleaseSchema.extend({
  attached_deployments: z.number().int().openapi({
    description: "Deployments recorded earlier with only a tag/sha naming this release, now attached to it",
    example: 1,
  }),
}).openapi("CreatedRelease");

export const ReleasePageSchema = pageOf(ReleaseSchema, "ReleasePage");
export const ReleaseListQuerySchema = PageQuerySchema.strict();

const BlockerReason = z.string().min(1).max(4096).openapi({
  description: "Why the release must not be deployed",
  example: "Fails the payments smoke test in staging",
});

export const CreateBlockerSchema = z.object({ reason: BlockerReason }).openapi("CreateReleaseBlocker");
export const ResolveBlockerSchema = z
  .object({
    note: z
      .string()
      .min(1)
      .max(4096)
      .nullable()
      .optional()
      .openapi({ description: "How it was resolved", example: "Fixed by 1.4.1; smoke test green" }),
  })
  .openapi("ResolveReleaseBlocker");

export const BlockerSchema = z
  .object({
    id: nanoId("Blocker id (Nano-ID)", "Bk7pR1tYbVx2kQ0aL9sJ3"),
    release_id: nanoId("The release it blocks", "Vx2kQ0aL9sJ3mN7pR1tYb"),
    reason: BlockerReason,
    status: z
      .enum(["open", "resolved"])
      .openapi({ description: "Open blockers refuse deployments", example: "open" }),
    created_by: z.string().openapi({ description: "Who filed it", example: "ada@example.com" }),
    created_at: timestamp("blocker was filed"),
    resolved_by: z
      .string()
      .nullable()
      .openapi({ description: "Who resolved it; null while open", example: null }),
    resolved_at: z
      .string()
      .nullable()
      .openapi({ description: "When it was resolved (ISO 8601); null while open", example: null }),
    resolution_note: z.string().nullable().openapi({ description: "How it was resolved", example: null }),
  })
  .openapi("ReleaseBlocker");

export const BlockerPageSchema = pageOf(BlockerSchema, "ReleaseBlockerPage");
export const BlockerListQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(["open", "resolved"])
    .optional()
    .openapi({ description: "Only open, or only resolved, blockers", example: "open" }),
}).strict();

const Status = z.enum(DEPLOYMENT_STATUSES).openapi({
  description: "pending → in_progress → success | failed | rolled_back (the last three are terminal)",
  example: "success",
});
const EnvironmentSlug = slug("Environment slug in the project's organization", "production");
const RunId = z.string().min(1).max(256).openapi({
  description: "The CI system's id of the run; reports with the same id update one deployment",
  example: "gh-run-9876543210",
});
const RunUrl = z.url().max(2048).openapi({
  description: "Where the run can be seen",
  example: "https://github.com/acme/api/actions/runs/9876543210",
});
const Ref = z.string().min(1).max(256).openapi({
  description: "The deployed tag or commit sha, when no release is named; attached once a release names it",
  example: "v1.4.0",
});

export const RecordDeploymentSchema = z
  .object({
    environment: EnvironmentSlug,
    status: Status,
    release_id: nanoId("The release deployed", "Vx2kQ0aL9sJ3mN7pR1tYb").optional(),
    version: z.string().min(1).max(128).optional().openapi({
      description: "The version deployed (a release's version); unattached if no release has it",
      example: "1.4.0",
    }),
    ref: Ref.optional(),
    external_run_id: RunId.optional(),
    external_run_url: RunUrl.optional(),
    note: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .openapi({ description: "Free-form note", example: "Canary first" }),
    performed_by: z
      .string()
      .min(1)
      .max(320)
      .optional()
      .openapi({ description: "Who deployed (default: the caller)", example: "ada@example.com" }),
  })
  // What was deployed must be named one way or another; the verb checks it (400), the document says it.
  .openapi("RecordDeployment", {
    example: {
      environment: "production",
      status: "success",
      version: "1.4.0",
      external_run_id: "gh-run-9876543210",
      external_run_url: "https://github.com/acme/api/actions/runs/9876543210",
    },
    ...schemaKeywords({
      anyOf: [{ required: ["release_id"] }, { required: ["version"] }, { required: ["ref"] }],
    }),
  });

export const DeploymentSchema = z
  .object({
    id: nanoId("Deployment id (Nano-ID)", "Dp1tYbVx2kQ0aL9sJ3mN7"),
    project_id: z.string().openapi({ description: "The project's id", example: "V1StGXR8_Z5jdHi6B-myT" }),
    environment: z.string().nullable().openapi({
      description: "Environment slug; null when the environment was deleted",
      example: "production",
    }),
    release_id: z.string().nullable().openapi({
      description: "The release deployed; null while unattached",
      example: "Vx2kQ0aL9sJ3mN7pR1tYb",
    }),
    version: z
      .string()
      .nullable()
      .openapi({ description: "The release's version; null while unattached", example: "1.4.0" }),
    ref: z
      .string()
      .nullable()
      .openapi({ description: "The deployed tag/sha as reported", example: "v1.4.0" }),
    status: Status,
    external_run_id: RunId.nullable(),
    external_run_url: z.string().nullable().openapi({
      description: "Where the run can be seen",
      example: "https://github.com/acme/api/actions/runs/9876543210",
    }),
    note: z.string().nullable().openapi({ description: "Free-form note", example: null }),
    performed_by: z.string().openapi({ description: "Who deployed", example: "ada@example.com" }),
    created_at: timestamp("deployment started"),
    updated_at: timestamp("deployment last changed"),
    completed_at: z.string().nullable().openapi({
      description: "When it reached a terminal status (ISO 8601)",
      example: "2024-05-01T12:04:00.000Z",
    }),
  })
  .openapi("Deployment");

export const DeploymentPageSchema = pageOf(DeploymentSchema, "DeploymentPage");
export const DeploymentListQuerySchema = PageQuerySchema.extend({
  environment: EnvironmentSlug.optional(),
  status: Status.optional(),
  release_id: nanoId("Only deployments of this release", "Vx2kQ0aL9sJ3mN7pR1tYb").optional(),
}).strict();

export const CurrentReleasesSchema = z
  .object({
    data: z
      .array(
        z
          .object({
            environment: EnvironmentSlug,
            release: z.union([ReleaseSchema, z.null()]).openapi({
              description: "Null when the deployment is unattached",
            }),
            ref: z
              .string()
              .nullable()
              .openapi({ description: "The deployed tag/sha as reported", example: null }),
            deployment_id: nanoId("The latest successful deployment", "Dp1tYbVx2kQ0aL9sJ3mN7"),
            deployed_at: timestamp("deployment started"),
          })
          .openapi("CurrentRelease"),
      )
      .openapi({
        description: "One entry per environment with a successful deployment, in environment order",
      }),
  })
  .openapi("CurrentReleases");

export const DriftQuerySchema = z
  .object({
    from: slug("The environment expected to be ahead", "staging"),
    to: slug("The environment compared against", "production"),
  })
  .strict();

export const ReleaseDriftSchema = z
  .object({
    from: slug("The environment expected to be ahead", "staging"),
    to: slug("The environment compared against", "production"),
    from_current: z
      .union([ReleaseSchema, z.null()])
      .openapi({ description: "The release running in `from`, if any" }),
    to_current: z
      .union([ReleaseSchema, z.null()])
      .openapi({ description: "The release running in `to`, if any" }),
    in_sync: z.boolean().openapi({ description: "Both environments run the same release", example: false }),
    ahead: z.array(ReleaseSchema).openapi({
      description: "Deployed to `from` but never to `to`, newest first (what promoting would ship)",
    }),
    behind: z
      .array(ReleaseSchema)
      .openapi({ description: "Deployed to `to` but never to `from`, newest first" }),
  })
  .openapi("ReleaseDrift");

const MatrixCell = z
  .object({
    version: z
      .string()
      .nullable()
      .openapi({ description: "The release's version; null if unattached", example: "1.4.0" }),
    ref: z.string().nullable().openapi({ description: "The deployed tag/sha as reported", example: null }),
    status: Status,
    deployment_id: nanoId("The latest deployment there", "Dp1tYbVx2kQ0aL9sJ3mN7"),
    deployed_at: timestamp("deployment started"),
  })
  .openapi("DeploymentMatrixCell");

export const DeploymentMatrixSchema = z
  .object({
    environments: z.array(z.string()).openapi({
      description: "The organization's environment slugs, in display order",
      example: ["staging", "production"],
    }),
    data: z
      .array(
        z
          .object({
            project_id: z
              .string()
              .openapi({ description: "The project's id", example: "V1StGXR8_Z5jdHi6B-myT" }),
            project_slug: z.string().openapi({ description: "The project's slug", example: "payments-api" }),
            project_name: z.string().openapi({ description: "The project's name", example: "Payments API" }),
            environments: z.record(z.string(), MatrixCell).openapi({
              description:
                "Environment slug → the latest deployment there (environments never deployed to are absent)",
            }),
          })
          .openapi("DeploymentMatrixRow"),
      )
      .openapi({ description: "Projects with deployments, by id" }),
    next_cursor: z.string().nullable().openapi({
      description: "Pass as `cursor` to get the next page; null on the last page",
      example: null,
    }),
  })
  .openapi("DeploymentMatrix");
export const MatrixQuerySchema = PageQuerySchema.strict();
