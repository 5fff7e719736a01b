import { resolvedProblem, targetProblem } from "./address.ts";

// How Imbi sends an outbound HTTP request (webhook deliveries): no redirects followed, a timeout,
// targets checked before sending. The Node host supplies a transport that checks every resolved
// address at connect time (./node_transport.ts); Workers use fetch with the URL checks alone.

/** One outbound POST. */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS: private and loopback targets (and http to loopback) allowed. */
  allowPrivate: boolean;
}

/** What came back: the status and the start of the body (for the delivery log). */
export interface OutboundResponse {
  status: number;
  body: string;
}

/** Refused before any byte was sent (the target is not allowed); not worth retrying soon. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetRefusedError";
  }
}

/** Sends outbound requests; `resolve` exists where the runtime can resolve names (Node). */
export interface OutboundTransport {
  readonly kind: "node" | "fetch";
  /** POSTs the request; throws on a refused target, a network error or the timeout. */
  send(req: OutboundRequest): Promise<OutboundResponse>;
  /** The addresses a host name resolves to (Node only): checked when a subscription is saved. */
  resolve?(host: string): Promise<string[]>;
}

/** How much of a response body the delivery log keeps. */
export const RESPONSE_BODY_LIMIT = 1024;

/** Reads at most `limit` characters of a response body and drops the rest. */
async function bodyStart(res: Response, limit: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.length < limit) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text.slice(0, limit);
}

/**
 * The transport of runtimes without a connect-time hook (Workers): the URL is checked (scheme, IP
 * literals, internal names), redirects are not followed (`redirect: "manual"`: a 3xx is the
 * answer), and the attempt is aborted at the timeout. Cloudflare's fetch cannot reach the Worker's
 * own private network, which covers what a DNS check would.
 */
export const fetchTransport: OutboundTransport = {
  kind: "fetch",
  async send(req) {
    const problem = targetProblem(req.url, req.allowPrivate);
    if (problem) throw new TargetRefusedError(problem);
    const res = await fetch(req.url, {
      method: "POST",
      headers: req.headers,
      body: req.body,
      redirect: "manual",
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    return { status: res.status, body: await bodyStart(res, RESPONSE_BODY_LIMIT) };
  },
};

/**
 * Checks a subscription URL when it is saved: the URL rules, then (where the transport can
 * resolve names) every address the host resolves to. Returns the problem, or null.
 */
export async function checkTarget(
  transport: OutboundTransport,
  url: string,
  allowPrivate: boolean,
): Promise<string | null> {
  const problem = targetProblem(url, allowPrivate);
  if (problem || allowPrivate || !transport.resolve) return problem;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = await transport.resolve(host);
  } catch {
    return `names a host that does not resolve (${host})`;
  }
  return resolvedProblem(host, addresses);
}
