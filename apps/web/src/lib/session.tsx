// Who is logged in and what they may do where: GET /api/users/me (memberships with effective
// permissions per organization). Screens ask `can("project:write")` to show or hide controls;
// the API still decides (a hidden button is a courtesy, a 403 is the rule).
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect } from "react";
import { useMatch, useNavigate } from "react-router";
import { api, onSessionExpired, unwrap } from "@/api/client";
import type { components } from "@/api/schema";

export type Me = components["schemas"]["Me"];
export type Membership = components["schemas"]["MembershipPermissions"];

export const meQueryKey = ["me"] as const;

/**
 * Whether this browser has signed in (the cookies themselves are HttpOnly, out of reach): set at
 * sign-in, cleared at logout and when the session ends, so a fresh visitor goes straight to the
 * sign-in page instead of asking the API and being refused.
 */
const SIGNED_IN = "imbi.signedIn";
export const markSignedIn = (on: boolean): void =>
  on ? localStorage.setItem(SIGNED_IN, "1") : localStorage.removeItem(SIGNED_IN);

/** The logged-in user, or null when there is no session (401 after a refresh attempt). */
export function useMeQuery() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async (): Promise<Me | null> => {
      if (localStorage.getItem(SIGNED_IN) !== "1") return null;
      const res = await api.GET("/api/users/me");
      if (res.response.status === 401) {
        markSignedIn(false);
        return null;
      }
      return unwrap(Promise.resolve(res));
    },
    staleTime: 60_000,
  });
}

const MeContext = createContext<Me | null>(null);
export const MeProvider = MeContext.Provider;

/** The user inside the logged-in part of the app. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe outside the logged-in layout");
  return me;
}

/** The organization in the URL (`/o/:org/…`), its membership and a permission test. */
export function useOrg(): { slug: string; membership?: Membership; can: (permission: string) => boolean } {
  const me = useMe();
  // From the URL, so the layout (above the screen's route) sees it too.
  const org = useMatch("/o/:org/*")?.params.org;
  const slug = org ?? me.organizations[0]?.slug ?? "default";
  const membership = me.organizations.find((m) => m.slug === slug);
  return {
    slug,
    membership,
    can: (permission) => me.is_admin || (membership?.permissions.includes(permission) ?? false),
  };
}

/**
 * True when the user holds `permission` on global resources (users, service accounts,
 * organizations): an administrator, or by their role in the system organization.
 */
export function useCanGlobally(permission: string): boolean {
  const me = useMe();
  return me.is_admin || me.global_permissions.includes(permission);
}

/** True when the user holds `permission` in any organization (or is an administrator). */
export function useCanAnywhere(permission: string): boolean {
  const me = useMe();
  return me.is_admin || me.organizations.some((m) => m.permissions.includes(permission));
}

/** Sends the user to the login page (keeping where they were) when the session ends for good. */
export function useSessionExpiry(): void {
  const navigate = useNavigate();
  useEffect(
    () =>
      onSessionExpired(() => {
        // The cached profile stays until the next sign-in refetches it: clearing it here would
        // let the layout redirect first, without saying why.
        markSignedIn(false);
        const here = window.location.pathname + window.location.search;
        if (!window.location.pathname.startsWith("/login"))
          navigate(`/login?expired=1&return_to=${encodeURIComponent(here)}`, { replace: true });
      }),
    [navigate],
  );
}
