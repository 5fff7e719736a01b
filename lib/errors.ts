import { z } from "zod";

// Process-wide zod setting (isolate-safe: a constant message rule, set once at import). A missing
// field reads "Required (string)" instead of zod's "expected string, received undefined".
z.config({
  customError: (issue) =>
    issue.code === "invalid_type" && issue.input === undefined ? `Required (${issue.expected})` : undefined,
});

/** Every error code the API can answer with. Each has a page at docs/errors/<code>.md. */
export const ErrorCode = z.enum([
  "BAD_REQUEST",
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "TOKEN_REVOKED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNPROCESSABLE",
  "RATE_LIMITED",
  "BAD_ENVIRONMENT",
  "SERVICE_UNAVAILABLE",
  "INTERNAL",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The HTTP statuses the codes map to. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 422 | 429 | 500 | 503;

/** Maps a code to its HTTP status; exhaustive so a new code cannot be forgotten. */
export function codeToStatus(code: ErrorCode): ErrorStatus {
  switch (code) {
    case "BAD_REQUEST":
    case "VALIDATION_FAILED":
    case "MALFORMED_JSON":
      return 400;
    case "UNAUTHENTICATED":
    case "INVALID_CREDENTIALS":
    case "TOKEN_REVOKED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "METHOD_NOT_ALLOWED":
      return 405;
    case "CONFLICT":
      return 409;
    case "PRECONDITION_FAILED":
      return 412;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "UNSUPPORTED_MEDIA_TYPE":
      return 415;
    case "UNPROCESSABLE":
      return 422;
    case "RATE_LIMITED":
      return 429;
    case "SERVICE_UNAVAILABLE":
      return 503;
    case "BAD_ENVIRONMENT":
    case "INTERNAL":
      return 500;
  }
}

/** A short title per code (the problem `title`). */
export const titles: Record<ErrorCode, string> = {
  BAD_REQUEST: "Bad request",
  VALIDATION_FAILED: "Validation failed",
  MALFORMED_JSON: "Malformed JSON",
  UNAUTHENTICATED: "Authentication required",
  INVALID_CREDENTIALS: "Invalid credentials",
  TOKEN_REVOKED: "Token revoked",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  METHOD_NOT_ALLOWED: "Method not allowed",
  CONFLICT: "Conflict",
  PRECONDITION_FAILED: "Precondition failed",
  PAYLOAD_TOO_LARGE: "Payload too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  UNPROCESSABLE: "Unprocessable entity",
  RATE_LIMITED: "Too many requests",
  BAD_ENVIRONMENT: "Server misconfigured",
  SERVICE_UNAVAILABLE: "Service unavailable",
  INTERNAL: "Internal server error",
};

/** One failing field of a request, as listed in a problem's `errors`. */
export interface FieldError {
  /** JSON pointer-ish location, e.g. `body.email` or `query.limit`. */
  location: string;
  message: string;
}

/**
 * What the domain layer (lib/<domain>) throws: it knows nothing about HTTP, only these codes (and,
 * for 429/503, the headers a client needs, such as `Retry-After`). The HTTP door maps them to
 * problem responses (lib/http/problem.ts); other doors map them their own way.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  constructor(code: ErrorCode, message: string, errors?: FieldError[], headers?: Record<string, string>) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.errors = errors;
    this.headers = headers;
  }
}

/** Converts zod issues into field errors with a readable location. */
export function zodFieldErrors(error: z.ZodError, target: string): FieldError[] {
  return error.issues.map((i) => ({
    location: [target, ...i.path.map(String)].join("."),
    message: i.message,
  }));
}
