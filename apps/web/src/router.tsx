// Every screen has a URL (deep links, the back button). The catalog is in the first bundle; every
// other screen is its own chunk, loaded when first visited (the graph and admin screens are the
// heavy ones).
import { createBrowserRouter, type RouteObject } from "react-router";
import { AppShell, IndexRedirect, NotFound, RouteError } from "./components/AppShell";
import { Loading } from "./components/states";
import { Catalog } from "./routes/Catalog";
import { Login } from "./routes/Login";

type Lazy = () => Promise<{ Component: React.ComponentType }>;
const page = (load: () => Promise<Record<string, React.ComponentType>>, name: string): Lazy => {
  return async () => {
    const mod = await load();
    const Component = mod[name];
    if (!Component) throw new Error(`${name} is not exported`);
    return { Component };
  };
};

const orgRoutes: RouteObject[] = [
  { path: "projects", Component: Catalog },
  { path: "projects/:id", lazy: page(() => import("./routes/Project"), "ProjectPage") },
  { path: "graph", lazy: page(() => import("./routes/OrgGraph"), "OrgGraph") },
  { path: "scores", lazy: page(() => import("./routes/Scores"), "Scores") },
  { path: "teams", lazy: page(() => import("./routes/Teams"), "Teams") },
  { path: "environments", lazy: page(() => import("./routes/Environments"), "Environments") },
  { path: "project-types", lazy: page(() => import("./routes/ProjectTypes"), "ProjectTypes") },
  { path: "link-definitions", lazy: page(() => import("./routes/LinkDefinitions"), "LinkDefinitions") },
  { path: "deployments", lazy: page(() => import("./routes/Deployments"), "Deployments") },
  { path: "operations-log", lazy: page(() => import("./routes/OperationsLog"), "OperationsLog") },
];

const adminRoutes: RouteObject[] = [
  { path: "blueprints", lazy: page(() => import("./routes/admin/Blueprints"), "Blueprints") },
  { path: "policies", lazy: page(() => import("./routes/admin/Policies"), "Policies") },
  { path: "users", lazy: page(() => import("./routes/admin/Users"), "Users") },
  { path: "roles", lazy: page(() => import("./routes/admin/Roles"), "Roles") },
  { path: "organizations", lazy: page(() => import("./routes/admin/Organizations"), "Organizations") },
  { path: "api-keys", lazy: page(() => import("./routes/admin/ApiKeys"), "ApiKeys") },
  { path: "sessions", lazy: page(() => import("./routes/admin/Sessions"), "Sessions") },
  {
    path: "service-accounts",
    lazy: page(() => import("./routes/admin/ServiceAccounts"), "ServiceAccounts"),
  },
  { path: "webhooks", lazy: page(() => import("./routes/admin/Webhooks"), "Webhooks") },
  { path: "webhooks/:webhook", lazy: page(() => import("./routes/admin/WebhookDetail"), "WebhookDetail") },
  { path: "subscriptions", lazy: page(() => import("./routes/admin/Subscriptions"), "Subscriptions") },
  {
    path: "subscriptions/:subscription",
    lazy: page(() => import("./routes/admin/SubscriptionDetail"), "SubscriptionDetail"),
  },
];

export const routes: RouteObject[] = [
  { path: "/login", Component: Login, ErrorBoundary: RouteError },
  {
    path: "/",
    Component: AppShell,
    ErrorBoundary: RouteError,
    // Shown while a screen's code loads on the first visit to a deep link.
    HydrateFallback: ScreenLoading,
    children: [
      { index: true, Component: IndexRedirect },
      { path: "o/:org", children: [{ index: true, Component: IndexRedirect }, ...orgRoutes] },
      { path: "o/:org/admin", children: adminRoutes },
      { path: "*", Component: NotFound },
    ],
  },
];

function ScreenLoading() {
  return <Loading className="m-8" />;
}

export const router = createBrowserRouter(routes);
