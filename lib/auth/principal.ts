/** Who is making the request, as established by the auth middleware. */
export interface Principal {
  kind: "user";
  email: string;
  isAdmin: boolean;
  /** The login session (refresh-token family) the access token belongs to. */
  sessionId: string;
}
