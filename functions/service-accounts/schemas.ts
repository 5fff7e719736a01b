import { z } from "@hono/zod-openapi";
import { PERMISSIONS } from "../../lib/auth/catalog.ts";
import { slug, timestamp } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";

// ---- Service accounts ------------------------------------------------------------

const AccountSlug = slug("Service account slug, unique in the installation", "ci-deployer");
const AccountDisplayName = z
  .string()
  .min(1)
  .max(256)
  .openapi({ description: "Name shown in the UI and in audit views", example: "CI deployer" });
const AccountDescription = z.string().max(4096).openapi({
  description: "What the account is for and who runs it",
  example: "Records deployments from CI",
});
const IsActive = z
  .boolean()
  .openapi({ description: "Inactive accounts get no tokens and their tokens are refused", example: true });

export const ServiceAccountSchema = z
  .object({
    slug: AccountSlug,
    display_name: AccountDisplayName,
    description: AccountDescription,
    is_active: IsActive,
    created_at: timestamp("service account was created"),
    updated_at: timestamp("service account was last changed"),
  })
  .openapi("ServiceAccount");

export const ServiceAccountOrganizationSchema = z
  .object({
    slug: z.string().openapi({ description: "Organization slug", example: "acme" }),
    name: z.string().openapi({ description: "Organization name", example: "Acme Inc." }),
    role: z.string().openapi({ description: "Role held in that organization", example: "developer" }),
  })
  .openapi("ServiceAccountOrganization");

export const ServiceAccountDetailSchema = ServiceAccountSchema.extend({
  organizations: z
    .array(ServiceAccountOrganizationSchema)
    .openapi({ description: "Organizations the account belongs to, with its role in each" }),
}).openapi("ServiceAccountDetail");

export const ServiceAccountPageSchema = pageOf(ServiceAccountSchema, "ServiceAccountPage");

export const ListServiceAccountsQuerySchema = PageQuerySchema.extend({
  is_active: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "Only active (`true`) or inactive (`false`) accounts", example: "true" }),
}).strict();

export const CreateServiceAccountSchema = z
  .object({
    slug: AccountSlug,
    display_name: AccountDisplayName,
    description: AccountDescription.optional(),
    is_active: IsActive.optional(),
  })
  .strict()
  .openapi("CreateServiceAccount");

export const AccountParamSchema = z.object({
  slug: AccountSlug.openapi({ param: { in: "path", name: "slug" } }),
});

// ---- Memberships ---------------------------------------------------------------------

export const ServiceAccountMembershipSchema = z
  .object({
    service_account: AccountSlug,
    organization: z.string().openapi({ description: "Organization slug", example: "acme" }),
    role: z.string().openapi({ description: "Role slug held in the organization", example: "developer" }),
    created_at: timestamp("membership was created"),
  })
  .openapi("ServiceAccountMembership");

export const AddServiceAccountMembershipSchema = z
  .object({
    organization: slug("Slug of the organization to join", "acme"),
    role: slug("Slug of the role to hold there; it may grant only permissions you hold there", "developer"),
  })
  .strict()
  .openapi("AddServiceAccountMembership");

export const AccountMembershipParamSchema = AccountParamSchema.extend({
  org: slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } }),
});

export const RoleParamSchema = z.object({
  slug: slug("Role slug", "developer").openapi({ param: { in: "path", name: "slug" } }),
});

export const RoleServiceAccountSchema = ServiceAccountSchema.extend({
  organization: z
    .string()
    .openapi({ description: "Organization in which the account holds the role", example: "acme" }),
}).openapi("RoleServiceAccount");

export const RoleServiceAccountPageSchema = pageOf(RoleServiceAccountSchema, "RoleServiceAccountPage");

// ---- Client credentials ------------------------------------------------------------------

const ClientId = z.string().openapi({
  description: "The client id (`cc_` + 22 characters); not a secret",
  example: "cc_4f9kq2m8x1z7c3v5b6n0ab",
});
const Scopes = z
  .array(z.enum(PERMISSIONS as [string, ...string[]]))
  .max(200)
  .openapi({
    description:
      "Permission names this credential's tokens may use (further limited by the account's roles); empty: every permission the account holds",
    example: ["project:read", "project:write"],
  });
const Organizations = z
  .array(slug("Organization slug", "acme"))
  .max(200)
  .openapi({
    description: "Organizations the tokens may act in; empty: every organization the account belongs to",
    example: ["acme"],
  });

export const ClientCredentialSchema = z
  .object({
    client_id: ClientId,
    service_account: AccountSlug,
    name: z.string().openapi({ description: "What the credential is for", example: "GitHub Actions deploy" }),
    scopes: Scopes,
    organizations: Organizations,
    expires_at: z.string().nullable().openapi({
      description: "When the credential stops working (ISO 8601)",
      example: "2027-05-01T12:00:00.000Z",
    }),
    created_at: timestamp("credential was created"),
    last_used_at: z.string().nullable().openapi({
      description: "Last token issued with it (ISO 8601); null: never",
      example: "2026-05-02T08:30:00.000Z",
    }),
    rotated_at: z
      .string()
      .nullable()
      .openapi({ description: "Last secret rotation (ISO 8601); null: never rotated", example: null }),
    revoked_at: z
      .string()
      .nullable()
      .openapi({ description: "When it was revoked (ISO 8601); null: active", example: null }),
  })
  .openapi("ClientCredential");

export const ClientCredentialWithSecretSchema = ClientCredentialSchema.extend({
  client_secret: z.string().openapi({
    description: "The secret — shown in this answer only; store it now (Imbi keeps only a keyed hash)",
    example: "Jx1rM4aQ2b8v0S5n7tK3wY6zP9cE1fH4gL2dU8iO0qR",
  }),
}).openapi("ClientCredentialWithSecret");

export const ClientCredentialListSchema = z
  .object({
    data: z
      .array(ClientCredentialSchema)
      .openapi({ description: "The account's client credentials, oldest first" }),
  })
  .openapi("ClientCredentialList");

export const CreateClientCredentialSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: "What the credential is for", example: "GitHub Actions deploy" }),
    scopes: Scopes.optional(),
    organizations: Organizations.optional(),
    expires_in_days: z.number().int().min(1).max(3650).optional().openapi({
      description: "Days until it expires; at most IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS (the default)",
      example: 90,
    }),
  })
  .strict()
  .openapi("CreateClientCredential");

export const ClientCredentialParamSchema = AccountParamSchema.extend({
  client_id: z
    .string()
    .min(4)
    .max(64)
    .regex(/^cc_[A-Za-z0-9_-]+$/, "must be a client id (cc_…)")
    .openapi({
      param: { in: "path", name: "client_id" },
      description: "The client id",
      example: "cc_4f9kq2m8x1z7c3v5b6n0ab",
    }),
});

// ---- Public keys -------------------------------------------------------------------------------

const Kid = z.string().openapi({
  description: "Key id: the key's RFC 7638 thumbprint; put it in the assertion's `kid` header",
  example: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
});

export const PublicJwkSchema = z
  .object({
    kty: z
      .enum(["OKP", "EC"])
      .openapi({ description: "Key type: OKP (Ed25519) or EC (P-256)", example: "OKP" }),
    crv: z.enum(["Ed25519", "P-256"]).openapi({ description: "Curve", example: "Ed25519" }),
    x: z.string().max(128).openapi({
      description: "Public key (x coordinate), base64url",
      example: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
    }),
    y: z.string().max(128).optional().openapi({
      description: "y coordinate, base64url (EC keys only)",
      example: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    }),
    alg: z
      .string()
      .max(16)
      .optional()
      .openapi({ description: "Optional; must match the key: EdDSA or ES256", example: "EdDSA" }),
    kid: z
      .string()
      .max(128)
      .optional()
      .openapi({ description: "Ignored: Imbi sets the kid to the thumbprint", example: "my-key" }),
    use: z
      .string()
      .max(8)
      .optional()
      .openapi({ description: "Ignored; keys are for signatures", example: "sig" }),
  })
  .passthrough()
  .openapi("PublicJwk", {
    description: "A public JWK (RFC 7517). Private members (`d`, …) are refused.",
  });

export const ServiceAccountKeySchema = z
  .object({
    kid: Kid,
    service_account: AccountSlug,
    name: z.string().openapi({ description: "What the key is for", example: "deploy pipeline" }),
    alg: z
      .enum(["EdDSA", "ES256"])
      .openapi({ description: "The only algorithm assertions may use with it", example: "EdDSA" }),
    jwk: z.record(z.string(), z.string()).openapi({
      description: "The registered public key (kty, crv, x[, y], kid, alg, use)",
      example: {
        kty: "OKP",
        crv: "Ed25519",
        x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
        kid: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        alg: "EdDSA",
        use: "sig",
      },
    }),
    created_at: timestamp("key was registered"),
    last_used_at: z
      .string()
      .nullable()
      .openapi({ description: "Last token issued with it (ISO 8601); null: never", example: null }),
    revoked_at: z
      .string()
      .nullable()
      .openapi({ description: "When it was revoked (ISO 8601); null: active", example: null }),
  })
  .openapi("ServiceAccountKey");

export const ServiceAccountKeyListSchema = z
  .object({
    data: z
      .array(ServiceAccountKeySchema)
      .openapi({ description: "The account's public keys, oldest first" }),
  })
  .openapi("ServiceAccountKeyList");

export const RegisterKeySchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: "What the key is for", example: "deploy pipeline" }),
    jwk: PublicJwkSchema,
  })
  .strict()
  .openapi("RegisterServiceAccountKey");

export const KeyParamSchema = AccountParamSchema.extend({
  kid: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, "must be a key id (base64url)")
    .openapi({
      param: { in: "path", name: "kid" },
      description: "The key id",
      example: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
    }),
});
