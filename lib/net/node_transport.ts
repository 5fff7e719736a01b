import { type LookupAddress, lookup as systemLookup } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { isPublicAddress, targetProblem } from "./address.ts";
import { type OutboundTransport, RESPONSE_BODY_LIMIT, TargetRefusedError } from "./transport.ts";

// The Node hosts' outbound transport. node:http(s) is used instead of fetch because it takes a
// `lookup` for the connection: the addresses are checked after DNS answered and right before the
// socket connects, so a name that resolved to a public address when the subscription was saved
// and to 10.0.0.1 now (DNS rebinding) is refused. A fresh agent per request keeps no pooled socket
// to a host whose addresses may have changed. Redirects are never followed (node:http does not).

/** Every address of a host name, as the system resolver answers (getaddrinfo: /etc/hosts, DNS). */
export type ResolveAll = (hostname: string, family: number | undefined) => Promise<LookupAddress[]>;

const systemResolveAll: ResolveAll = (hostname, family) =>
  new Promise((resolve, reject) =>
    systemLookup(hostname, { all: true, family: family ?? 0 }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** A lookup that refuses non-public addresses (unless allowed), for the connection itself. */
function guardedLookup(resolveAll: ResolveAll, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const done = (err: Error | null, addresses: LookupAddress[]) => {
      if (err) return callback(err as NodeJS.ErrnoException, "", 4);
      const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (bad) {
        const refused = new TargetRefusedError(
          `${hostname} resolves to a non-public address (${bad.address})`,
        );
        return callback(refused as NodeJS.ErrnoException, "", 4);
      }
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`) as NodeJS.ErrnoException, "", 4);
      // net asks for every address when it may race IPv4 and IPv6 (autoSelectFamily).
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, first.address, first.family);
    };
    resolveAll(hostname, options.family === undefined ? undefined : Number(options.family)).then(
      (a) => done(null, a),
      (e: Error) => done(e, []),
    );
  };
}

/**
 * The Node transport: connect-time address checks, no redirects, one deadline for the attempt.
 * `resolveAll` is the system resolver unless a test scripts the answers (DNS rebinding).
 */
export function createNodeTransport(resolveAll: ResolveAll = systemResolveAll): OutboundTransport {
  return {
    kind: "node",
    send(req) {
      const problem = targetProblem(req.url, req.allowPrivate);
      if (problem) return Promise.reject(new TargetRefusedError(problem));
      const url = new URL(req.url);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      return new Promise((resolve, reject) => {
        // Settles once, whichever of the request, the response or the deadline ends it first.
        let settled = false;
        const finish = (err: Error | null, out?: { status: number; body: string }) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          if (err) reject(err);
          else resolve(out as { status: number; body: string });
        };
        const r = send(url, {
          method: "POST",
          headers: { ...req.headers, "content-length": Buffer.byteLength(req.body) },
          lookup: guardedLookup(resolveAll, req.allowPrivate),
          agent: false,
        });
        const deadline = setTimeout(() => {
          const err = new Error(`no answer within ${req.timeoutMs} ms`);
          r.destroy(err);
          finish(err);
        }, req.timeoutMs);
        r.on("error", (e) => finish(e));
        r.on("response", (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            if (body.length < RESPONSE_BODY_LIMIT) body += chunk;
          });
          res.on("error", (e) => finish(e));
          res.on("end", () =>
            finish(null, { status: res.statusCode ?? 0, body: body.slice(0, RESPONSE_BODY_LIMIT) }),
          );
          res.on("close", () => finish(new Error("the connection closed before the answer ended")));
        });
        r.end(req.body);
      });
    },
    async resolve(host) {
      return (await resolveAll(host, undefined)).map((a) => a.address);
    },
  };
}

/** The transport of the Node hosts (the system resolver). */
export const nodeTransport: OutboundTransport = createNodeTransport();
