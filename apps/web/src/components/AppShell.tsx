// The logged-in frame: navigation (admin entries only for those who hold their permission), the
// organization switcher, the search palette (⌘K / Ctrl-K), the theme and the user menu.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Activity,
  Bot,
  Boxes,
  Building2,
  Gauge,
  KeyRound,
  LayoutList,
  Link2,
  LogOut,
  MonitorSmartphone,
  Moon,
  Network,
  Rocket,
  Scale,
  Search,
  Send,
  Server,
  Shapes,
  Shield,
  Sun,
  SunMoon,
  UserCog,
  Users,
  Webhook,
} from "lucide-react";
import { useEffect, useState } from "react";
import {
  isRouteErrorResponse,
  Link,
  Navigate,
  NavLink,
  Outlet,
  useLocation,
  useNavigate,
  useParams,
  useRouteError,
} from "react-router";
import { api, unwrap } from "@/api/client";
import {
  MeProvider,
  markSignedIn,
  meQueryKey,
  useMe,
  useMeQuery,
  useOrg,
  useSessionExpiry,
} from "@/lib/session";
import { useTheme } from "@/lib/theme";
import { cn } from "@/lib/utils";
import { CommandPalette } from "./CommandPalette";
import { EmptyState, Loading, ProblemAlert } from "./states";
import { Button } from "./ui/button";
import { Select } from "./ui/input";

const LAST_ORG = "imbi.lastOrg";

export function AppShell() {
  const me = useMeQuery();
  const location = useLocation();
  if (me.isPending) return <Loading className="m-8" label="Loading your session…" />;
  if (me.isError)
    return (
      <div className="m-8">
        <ProblemAlert error={me.error} onRetry={() => me.refetch()} />
      </div>
    );
  if (!me.data) {
    const here = location.pathname + location.search;
    return <Navigate to={here === "/" ? "/login" : `/login?return_to=${encodeURIComponent(here)}`} replace />;
  }
  return (
    <MeProvider value={me.data}>
      <Frame />
    </MeProvider>
  );
}

interface NavItem {
  to: string;
  label: string;
  icon: React.ComponentType<{ className?: string }>;
  show?: boolean;
}

function Frame() {
  useSessionExpiry();
  const me = useMe();
  const { slug, can } = useOrg();
  const anywhere = (p: string) => me.is_admin || me.organizations.some((m) => m.permissions.includes(p));
  const globally = (p: string) => me.is_admin || me.global_permissions.includes(p);
  const [paletteOpen, setPaletteOpen] = useState(false);
  useEffect(() => {
    localStorage.setItem(LAST_ORG, slug);
  }, [slug]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setPaletteOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const base = `/o/${slug}`;
  const main: NavItem[] = [
    { to: `${base}/projects`, label: "Catalog", icon: LayoutList },
    { to: `${base}/graph`, label: "Dependency graph", icon: Network },
    { to: `${base}/scores`, label: "Scores", icon: Gauge },
    { to: `${base}/deployments`, label: "Deployments", icon: Rocket },
    { to: `${base}/operations-log`, label: "Operations log", icon: Activity },
    { to: `${base}/teams`, label: "Teams", icon: Users },
    { to: `${base}/environments`, label: "Environments", icon: Server },
    { to: `${base}/project-types`, label: "Project types", icon: Shapes },
    { to: `${base}/link-definitions`, label: "Link definitions", icon: Link2 },
  ];
  // Each entry shows when the screen's list would answer: blueprints, policies and roles are read
  // with a permission held anywhere; users, organizations and service accounts are global.
  const admin: NavItem[] = [
    { to: `${base}/admin/blueprints`, label: "Blueprints", icon: Boxes, show: anywhere("blueprint:read") },
    {
      to: `${base}/admin/policies`,
      label: "Scoring policies",
      icon: Scale,
      show: anywhere("scoring_policy:write"),
    },
    { to: `${base}/admin/users`, label: "Users", icon: UserCog, show: globally("user:read") },
    { to: `${base}/admin/roles`, label: "Roles", icon: Shield, show: anywhere("role:read") },
    {
      to: `${base}/admin/organizations`,
      label: "Organizations",
      icon: Building2,
      show: globally("organization:create") || globally("organization:update"),
    },
    { to: `${base}/admin/api-keys`, label: "API keys", icon: KeyRound },
    { to: `${base}/admin/sessions`, label: "Sessions", icon: MonitorSmartphone },
    {
      to: `${base}/admin/service-accounts`,
      label: "Service accounts",
      icon: Bot,
      show: globally("service_account:read"),
    },
    // Automations are per organization: shown by the permission in the current one.
    { to: `${base}/admin/webhooks`, label: "Webhooks", icon: Webhook, show: can("webhook:read") },
    { to: `${base}/admin/subscriptions`, label: "Subscriptions", icon: Send, show: can("subscription:read") },
  ].filter((i) => i.show !== false);
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2"
      >
        Skip to content
      </a>
      {/* The column stretches with the page (its background and border); the panel inside stays in view. */}
      <div className="hidden w-56 shrink-0 border-r bg-card md:block">
        <aside className="sticky top-0 flex h-screen flex-col gap-4 overflow-y-auto p-3">
          <Link to={`${base}/projects`} className="px-2 text-lg font-bold tracking-tight">
            Imbi
          </Link>
          <OrgSwitcher id="org-switcher" />
          <nav aria-label="Main" className="grid gap-0.5">
            {main.map((i) => (
              <NavEntry key={i.to} item={i} />
            ))}
          </nav>
          {admin.length > 0 ? (
            <nav aria-label="Administration" className="grid gap-0.5">
              <p className="px-2 pb-1 text-xs font-semibold uppercase text-muted-foreground">Admin</p>
              {admin.map((i) => (
                <NavEntry key={i.to} item={i} />
              ))}
            </nav>
          ) : null}
        </aside>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/95 px-4 backdrop-blur">
          <div className="md:hidden">
            <OrgSwitcher id="org-switcher-small" />
          </div>
          <Button
            variant="outline"
            className="w-full max-w-md justify-start text-muted-foreground"
            onClick={() => setPaletteOpen(true)}
            aria-keyshortcuts="Control+K Meta+K"
          >
            <Search aria-hidden />
            Search projects, teams, types…
            <kbd className="ml-auto rounded border bg-muted px-1.5 text-[10px]">⌘K</kbd>
          </Button>
          <div className="ml-auto flex items-center gap-1">
            <ThemeButton />
            <UserMenu />
          </div>
        </header>
        <nav
          aria-label="Main (small screens)"
          className="flex gap-1 overflow-x-auto border-b px-2 py-1 md:hidden"
        >
          {main.map((i) => (
            <NavLink
              key={i.to}
              to={i.to}
              className={({ isActive }) =>
                cn("whitespace-nowrap rounded px-2 py-1 text-sm", isActive && "bg-accent font-medium")
              }
            >
              {i.label}
            </NavLink>
          ))}
        </nav>
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 p-4 md:p-6" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} org={slug} />
    </div>
  );
}

function NavEntry({ item }: { item: NavItem }) {
  const Icon = item.icon;
  return (
    <NavLink
      to={item.to}
      className={({ isActive }) =>
        cn(
          "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-accent",
          isActive && "bg-accent font-medium text-accent-foreground",
        )
      }
    >
      <Icon className="size-4" aria-hidden />
      {item.label}
    </NavLink>
  );
}

/**
 * The organizations the user can switch to: their memberships, and for administrators (who may
 * act in every organization) all of them. The current one is always listed.
 */
export function useSwitchableOrgs(): { slug: string; name: string }[] {
  const me = useMe();
  const { slug } = useOrg();
  const all = useQuery({
    // Not ["organizations", "all"]: that key holds the bare list (MembershipEditor), this the page.
    queryKey: ["organizations", "switcher"],
    enabled: me.is_admin,
    queryFn: () => unwrap(api.GET("/api/organizations", { params: { query: { limit: 100 } } })),
    staleTime: 60_000,
  });
  const list = new Map(me.organizations.map((o) => [o.slug, { slug: o.slug, name: o.name }]));
  for (const o of all.data?.data ?? [])
    if (!list.has(o.slug)) list.set(o.slug, { slug: o.slug, name: o.name });
  if (!list.has(slug)) list.set(slug, { slug, name: slug });
  return [...list.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Switches organization, keeping the same screen (`/o/a/scores` → `/o/b/scores`). */
function OrgSwitcher({ id }: { id: string }) {
  const { slug } = useOrg();
  const orgs = useSwitchableOrgs();
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="sr-only">
        Organization
      </label>
      <Select
        id={id}
        value={slug}
        onChange={(e) => {
          const next = e.target.value;
          const rest = location.pathname.replace(/^\/o\/[^/]+/, "");
          // Project pages belong to one organization: go to the other one's catalog instead.
          const target = /^\/projects\/[^/]+/.test(rest) || rest === "" ? "/projects" : rest;
          navigate(`/o/${next}${target}`);
        }}
      >
        {orgs.map((o) => (
          <option key={o.slug} value={o.slug}>
            {o.name}
          </option>
        ))}
      </Select>
    </div>
  );
}

function ThemeButton() {
  const [theme, setTheme] = useTheme();
  const next = theme === "light" ? "dark" : theme === "dark" ? "system" : "light";
  const Icon = theme === "light" ? Sun : theme === "dark" ? Moon : SunMoon;
  return (
    <Button
      variant="ghost"
      size="icon"
      onClick={() => setTheme(next)}
      aria-label={`Theme: ${theme}. Switch to ${next}`}
      title={`Theme: ${theme}`}
    >
      <Icon />
    </Button>
  );
}

function UserMenu() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  return (
    <div className="flex items-center gap-2">
      <span className="hidden text-sm text-muted-foreground lg:inline" data-testid="current-user">
        {me.display_name || me.email}
      </span>
      <Button
        variant="ghost"
        size="sm"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          await api.POST("/api/auth/logout", {}).catch(() => undefined);
          markSignedIn(false);
          qc.clear();
          qc.setQueryData(meQueryKey, null);
          navigate("/login", { replace: true });
        }}
      >
        <LogOut aria-hidden />
        Log out
      </Button>
    </div>
  );
}

/** `/` and `/o/:org`: the catalog of the last organization used (or the first one). */
export function IndexRedirect() {
  const me = useMe();
  const { org } = useParams();
  const last = localStorage.getItem(LAST_ORG);
  const slug =
    org ?? (me.organizations.some((o) => o.slug === last) ? last : me.organizations[0]?.slug) ?? undefined;
  if (!slug)
    return (
      <EmptyState title="You are not a member of any organization yet">
        Ask an administrator to add you to one (Admin → Users → memberships).
      </EmptyState>
    );
  return <Navigate to={`/o/${slug}/projects`} replace />;
}

export function NotFound() {
  const { slug } = useOrg();
  return (
    <EmptyState
      title="There is no page here"
      action={<Link to={`/o/${slug}/projects`}>Go to the catalog</Link>}
    >
      The address may be mistyped, or the page was moved.
    </EmptyState>
  );
}

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error;
  return (
    <div className="m-8 grid gap-3">
      <ProblemAlert error={message instanceof Error ? message : new Error(String(message))} />
      <a href="/" className="text-sm underline">
        Back to the start
      </a>
    </div>
  );
}
