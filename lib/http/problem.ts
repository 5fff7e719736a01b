import type { RouteConfig } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { codeToStatus, DomainError, ErrorCode, type FieldError, titles } from "../errors.ts";

/** The one error class handlers and services throw. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(opts: {
    code: ErrorCode;
    detail: string;
    errors?: FieldError[];
    headers?: Record<string, string>;
  }) {
    super(codeToStatus(opts.code) as ContentfulStatusCode, { message: opts.detail });
    this.name = "ApiError";
    this.code = opts.code;
    this.detail = opts.detail;
    this.errors = opts.errors;
    this.headers = opts.headers;
  }
}

/** RFC 9457 problem details as Imbi emits them. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: "URL of the page documenting this error code",
      example: "https://imbi.dev/docs/errors/NOT_FOUND",
    }),
    title: z.string().openapi({ description: "Short summary of the problem type", example: "Not found" }),
    status: z.number().int().openapi({ description: "HTTP status code", example: 404 }),
    detail: z.string().openapi({
      description: "What went wrong and what to do about it",
      example: "No organization with slug 'acme'",
    }),
    instance: z
      .string()
      .openapi({ description: "Path of the request that failed", example: "/api/organizations/acme" }),
    code: ErrorCode.meta({ description: "Machine-readable error code", example: "NOT_FOUND" }),
    requestId: z.string().openapi({
      description: "Id of the request, also in the X-Request-Id header",
      example: "req_V1StGXR8Z5jdHi6B",
    }),
    errors: z
      .array(
        z.object({
          location: z.string().openapi({ description: "Where the bad value is", example: "body.email" }),
          message: z
            .string()
            .openapi({ description: "What is wrong with it", example: "Invalid email address" }),
        }),
      )
      .optional()
      .openapi({ description: "Each failing field, for validation errors" }),
  })
  .openapi("Problem");
export type Problem = z.infer<typeof ProblemSchema>;

const PROBLEM_BASE = "https://imbi.dev/docs/errors/";

/** Builds a problem body; the one place its fields are assembled. */
export function problemBody(
  code: ErrorCode,
  detail: string,
  instance: string,
  requestId: string,
  errors?: FieldError[],
): Problem {
  return {
    type: `${PROBLEM_BASE}${code}`,
    title: titles[code],
    status: codeToStatus(code),
    detail,
    instance,
    code,
    requestId,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Builds the problem+json response. One of exactly two producers of error bodies (with the zod hook). */
export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): Response {
  const body = problemBody(
    code,
    detail,
    new URL(c.req.url).pathname,
    (c.get("requestId") as string | undefined) ?? "",
    errors,
  );
  const extra: Record<string, string> = { ...headers };
  if (body.status === 401 && !extra["WWW-Authenticate"]) extra["WWW-Authenticate"] = 'Bearer realm="imbi"';
  return c.json(body, body.status as ContentfulStatusCode, {
    ...extra,
    "Content-Type": "application/problem+json",
  });
}

/** `app.onError`: ApiError, then HTTPException, then unknown (logged, hidden, 500). */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return problemResponse(c, err.code, err.detail, err.errors, err.headers);
  if (err instanceof DomainError) return problemResponse(c, err.code, err.message, err.errors, err.headers);
  if (err instanceof HTTPException) {
    // Hono's JSON validator throws a plain 400 for an unparsable body; name it precisely.
    if (err.status === 400 && /malformed json/i.test(err.message))
      return problemResponse(
        c,
        "MALFORMED_JSON",
        "The request body is not valid JSON; check quoting and commas.",
      );
    const code = statusToCode(err.status);
    return problemResponse(c, code, err.message || titles[code]);
  }
  const services = c.get("services") as
    | { log?: { error(m: string, f?: Record<string, unknown>): void } }
    | undefined;
  const log = services?.log;
  const fields = { requestId: c.get("requestId"), error: err.message, stack: err.stack };
  if (log) log.error("unhandled error", fields);
  else console.error(JSON.stringify({ level: "error", msg: "unhandled error", ...fields }));
  return problemResponse(
    c,
    "INTERNAL",
    "An unexpected error occurred; it has been logged with the request id.",
  );
}

function statusToCode(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 409:
      return "CONFLICT";
    case 412:
      return "PRECONDITION_FAILED";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 415:
      return "UNSUPPORTED_MEDIA_TYPE";
    case 422:
      return "UNPROCESSABLE";
    case 429:
      return "RATE_LIMITED";
    case 503:
      return "SERVICE_UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL" : "BAD_REQUEST";
  }
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** Error responses documented once and spread into every route. */
export const openApiErrorResponses = {
  400: problem("The request is malformed or fails validation"),
  401: problem("Authentication is missing or invalid"),
  403: problem("The principal lacks the permission in this organization"),
  404: problem("The resource does not exist"),
  429: problem("Rate limit exceeded; see Retry-After"),
  500: problem("A bug: the error was logged with the request id"),
} satisfies RouteConfig["responses"];

/** Conflict / precondition responses, for routes that write. */
export const openApiWriteErrorResponses = {
  409: problem("The write conflicts with existing data (e.g. a duplicate slug)"),
  412: problem("If-Match did not match the current ETag"),
  413: problem("The request body is too large"),
  415: problem("The Content-Type is not supported"),
  422: problem("A JSON Patch test operation failed"),
} satisfies RouteConfig["responses"];
