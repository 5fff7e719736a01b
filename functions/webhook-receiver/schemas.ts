import { z } from "@hono/zod-openapi";

export const ReceiverParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      description:
        "The webhook's id (its `path`), unguessable: whoever knows it can only post signed deliveries",
      example: "whk_V1StGXR8Z5jdHi6BmyT0a",
      param: { in: "path", name: "id" },
    }),
});

export const ReceivedSchema = z
  .object({
    delivery: z
      .string()
      .openapi({ description: "Imbi's id of the stored delivery", example: "whd_4fK2m9QxP0aZ7cV1bN8yT" }),
    duplicate: z.boolean().openapi({
      description: "True when this delivery id was received before: acknowledged, not run again",
      example: false,
    }),
  })
  .openapi("InboundWebhookReceived");
