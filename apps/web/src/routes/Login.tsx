// Sign in with email and password. `return_to` (a path on this host) is where to go afterwards:
// a screen of the app, or the OAuth authorization page (`/api/auth/authorize?…`), which is not
// part of the app and is loaded as a page. Room is left above the form for SSO buttons (issue 14).
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { API_PREFIX, ApiError, api } from "@/api/client";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/input";
import { markSignedIn, meQueryKey, useMeQuery } from "@/lib/session";

/**
 * Where to go after signing in: `return_to` when it is a path on this host (never another
 * origin, never `//host`), else the app's start.
 */
export function safeReturnTo(value: string | null): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  try {
    const url = new URL(value, "http://imbi.invalid");
    if (url.origin !== "http://imbi.invalid") return "/";
    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}

/** Paths served by the API rather than by the app (a full page load). */
export const isServerPage = (path: string): boolean => path.startsWith(`${API_PREFIX}/`);

export function Login() {
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get("return_to"));
  const expired = params.get("expired") === "1";
  const me = useMeQuery();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  // Already signed in: straight on (unless the session just ended and the profile is stale).
  if (me.data && !expired && !isServerPage(returnTo)) return <Navigate to={returnTo} replace />;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const { error: problem, response } = await api.POST("/api/auth/login", { body: { email, password } });
    setPending(false);
    if (!response.ok) {
      setError(
        new ApiError(
          problem && typeof problem === "object" && "status" in problem
            ? (problem as ApiError["problem"])
            : { status: response.status, detail: "Sign-in failed." },
        ),
      );
      return;
    }
    markSignedIn(true);
    if (isServerPage(returnTo)) {
      window.location.assign(returnTo);
      return;
    }
    await qc.invalidateQueries({ queryKey: meQueryKey });
    navigate(returnTo, { replace: true });
  }

  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle>
            <span className="text-2xl font-bold">Imbi</span>
          </CardTitle>
          <h1 className="text-sm text-muted-foreground">Sign in to your organization's service catalog</h1>
        </CardHeader>
        <CardContent>
          {expired ? (
            <p role="status" className="mb-3 rounded-md bg-muted p-2 text-sm">
              Your session has ended. Sign in again to continue where you were.
            </p>
          ) : null}
          {isServerPage(returnTo) ? (
            <p className="mb-3 text-sm text-muted-foreground">
              An application asked to use your Imbi account; you will see what it asks for next.
            </p>
          ) : null}
          {/* Single sign-on providers will be listed here (issue 14). */}
          <form className="grid gap-4" onSubmit={submit} aria-label="Sign in">
            <Field id="email" label="Email">
              <Input
                id="email"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoFocus
              />
            </Field>
            <Field id="password" label="Password">
              <Input
                id="password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            {error ? <ProblemAlert error={error} /> : null}
            <Button type="submit" disabled={pending}>
              {pending ? "Signing in…" : "Sign in"}
            </Button>
          </form>
          <p className="mt-4 text-xs text-muted-foreground">
            The API and its documentation:{" "}
            <a className="underline" href="/docs">
              /docs
            </a>
          </p>
        </CardContent>
      </Card>
    </main>
  );
}
