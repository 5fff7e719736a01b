// Where the signed-in person is logged in (issue 14): every live session with its browser,
// address and times, this device marked; log one out, or every other one. Ending this device's
// session is a logout.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { when } from "@/components/reference/fetchers";
import { describeDevice } from "@/components/sessions/device";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { markSignedIn, meQueryKey, useMe } from "@/lib/session";

type Session = components["schemas"]["Session"];

export function Sessions() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const key = ["sessions", me.email];
  const sessions = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/users/me/sessions")),
  });
  const [ending, setEnding] = useState<Session | "others" | null>(null);
  const [done, setDone] = useState("");
  const end = useMutation({
    mutationFn: async (target: Session | "others") => {
      if (target === "others") {
        const r = await unwrap(api.DELETE("/api/users/me/sessions"));
        return `Logged out of ${r.revoked} other session${r.revoked === 1 ? "" : "s"}.`;
      }
      await unwrap(
        api.DELETE("/api/users/me/sessions/{session}", { params: { path: { session: target.id } } }),
      );
      return target.current ? "" : "Logged out of that session.";
    },
    onSuccess: (message, target) => {
      setEnding(null);
      if (target !== "others" && target.current) {
        // This device's session ended: that is a logout.
        markSignedIn(false);
        qc.clear();
        qc.setQueryData(meQueryKey, null);
        navigate("/login", { replace: true });
        return;
      }
      setDone(message);
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const list = sessions.data?.data ?? [];
  const others = list.filter((s) => !s.current).length;
  return (
    <>
      <PageHeader
        title="Sessions"
        description="Where you are logged in. A session ends after a day without use, and at the latest when its sign-in expires."
        actions={
          others > 0 ? (
            <Button variant="outline" onClick={() => setEnding("others")}>
              <LogOut aria-hidden />
              Log out everywhere else
            </Button>
          ) : undefined
        }
      />
      <p role="status" aria-live="polite" className="mb-2 text-sm text-muted-foreground">
        {done}
      </p>
      {sessions.isPending ? (
        <Loading label="Loading your sessions…" />
      ) : sessions.error ? (
        <ProblemAlert error={sessions.error} />
      ) : list.length === 0 ? (
        <EmptyState title="No sessions">Sign in again to start one.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-md border">
          <table className="w-full text-sm">
            <caption className="sr-only">Your sessions</caption>
            <thead className="bg-muted/50 text-left text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Browser or client
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Address
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Signed in
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Ends if unused
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} className="border-t">
                  <td className="px-3 py-2">
                    <span title={s.user_agent ?? undefined}>{describeDevice(s.user_agent)}</span>{" "}
                    {s.current ? <Badge tone="good">This device</Badge> : null}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">{s.ip || "—"}</td>
                  <td className="whitespace-nowrap px-3 py-2">{when(s.created_at)}</td>
                  <td className="whitespace-nowrap px-3 py-2">{when(s.last_used_at)}</td>
                  <td className="whitespace-nowrap px-3 py-2">{when(s.idle_expires_at)}</td>
                  <td className="px-3 py-2 text-right">
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => setEnding(s)}
                      aria-label={
                        s.current ? "Log out of this device" : `Log out of ${s.user_agent || "this session"}`
                      }
                    >
                      Log out
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={ending !== null}
        onOpenChange={(open) => !open && setEnding(null)}
        title={
          ending === "others"
            ? "Log out everywhere else?"
            : ending?.current
              ? "Log out of this device?"
              : "Log out of that session?"
        }
        description={
          ending === "others"
            ? `Every session but this one ends now (${others}). Those browsers will ask to sign in again.`
            : ending?.current
              ? "You will be signed out here."
              : "That browser or client will ask to sign in again."
        }
        confirmLabel="Log out"
        pending={end.isPending}
        onConfirm={() => ending && end.mutate(ending)}
      >
        {end.error ? <ProblemAlert error={end.error} /> : null}
      </ConfirmDialog>
    </>
  );
}
