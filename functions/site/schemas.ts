import { z } from "@hono/zod-openapi";

export const RootLinksSchema = z
  .object({
    docs: z.string().openapi({ description: "Swagger UI for this API", example: "/docs" }),
    openapi: z.string().openapi({ description: "The OpenAPI 3.1 document", example: "/openapi.json" }),
    liveness: z.string().openapi({ description: "Liveness: the process answers", example: "/status" }),
    readiness: z.string().openapi({
      description: "Readiness: every store answers (503 when one is down)",
      example: "/api/status",
    }),
    login: z.string().openapi({
      description: "POST an email and password here for an access token (see `login_help`)",
      example: "/api/auth/login",
    }),
  })
  .openapi("RootLinks");

export const RootSchema = z
  .object({
    name: z.literal("Imbi").openapi({ description: "The product", example: "Imbi" }),
    description: z.string().openapi({
      description: "What this service is",
      example: "Imbi is a DevOps service-management platform: …",
    }),
    version: z.string().openapi({ description: "Imbi API version", example: "0.1.0" }),
    links: RootLinksSchema,
    login_help: z.string().openapi({
      description: "How to get a token, and where the first administrator's password comes from",
      example:
        "POST {email, password} as JSON to /api/auth/login; send the access_token as `Authorization: Bearer …`.",
    }),
  })
  .openapi("Root");
