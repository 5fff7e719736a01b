// A project: header (name, slug, owner, types, score and level, archived), then tabs kept in the
// URL (?tab=overview|dependencies|scores|activity|deployments) so each has a link and the back button works.
import { Tabs } from "radix-ui";
import { useEffect } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { ApiError } from "@/api/client";
import { namesBySlug, useProjectTypes, useScoreLevels, useTeams } from "@/components/catalog/lookups";
import { ScoreBadge } from "@/components/catalog/score";
import { ActivityTab } from "@/components/project/ActivityTab";
import { DependenciesTab } from "@/components/project/DependenciesTab";
import { DeploymentsTab } from "@/components/project/DeploymentsTab";
import { OverviewTab } from "@/components/project/OverviewTab";
import { ProjectActions } from "@/components/project/ProjectActions";
import { ScoresTab } from "@/components/project/ScoresTab";
import { useProject } from "@/components/project/use_project";
import { EmptyState, Loading, PageHeader, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { useOrg } from "@/lib/session";

const TABS = [
  { value: "overview", label: "Overview" },
  { value: "dependencies", label: "Dependencies" },
  { value: "scores", label: "Scores" },
  { value: "activity", label: "Activity" },
  { value: "deployments", label: "Deployments" },
] as const;
type Tab = (typeof TABS)[number]["value"];
const isTab = (s: string | null): s is Tab => TABS.some((t) => t.value === s);

const trigger =
  "border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring data-[state=active]:border-primary data-[state=active]:text-foreground";

export function ProjectPage() {
  const { slug: org, can } = useOrg();
  const { id = "" } = useParams();
  const [sp, setSp] = useSearchParams();
  const tabParam = sp.get("tab");
  const tab: Tab = isTab(tabParam) ? tabParam : "overview";
  const q = useProject(org, id);
  const teams = useTeams(org);
  const types = useProjectTypes(org);
  const levels = useScoreLevels(org);
  const canWrite = can("project:write");
  const name = q.data?.project.name;
  useEffect(() => {
    if (name) document.title = `${name} · Imbi`;
  }, [name]);

  if (q.isPending) return <Loading label="Loading the project…" />;
  if (q.isError) {
    const notFound = q.error instanceof ApiError && q.error.status === 404;
    return (
      <div className="grid gap-4">
        <PageHeader title={notFound ? "Project not found" : "Project"} />
        {notFound ? (
          <EmptyState
            title={`There is no project “${id}” in this organization`}
            action={
              <Button asChild variant="outline">
                <Link to={`/o/${org}/projects`}>Back to the catalog</Link>
              </Button>
            }
          >
            It may have been deleted or renamed. Find it in the catalog.
          </EmptyState>
        ) : (
          <ProblemAlert error={q.error} onRetry={() => q.refetch()} />
        )}
      </div>
    );
  }
  const { project } = q.data;
  const teamName = namesBySlug(teams.data);
  const typeName = namesBySlug(types.data);
  return (
    <div className="grid gap-4">
      <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
        <Link to={`/o/${org}/projects`} className="hover:text-foreground hover:underline">
          Projects
        </Link>{" "}
        / <span aria-current="page">{project.slug}</span>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {project.name}
            {project.archived ? <Badge tone="muted">Archived</Badge> : null}
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-mono text-xs">{project.slug}</span>
            <span>
              Owned by{" "}
              <Link to={`/o/${org}/projects?team=${project.team}`} className="text-primary hover:underline">
                {teamName(project.team)}
              </Link>
            </span>
            <span className="flex gap-1">
              {project.project_types.map((t) => (
                <Badge key={t} tone="muted">
                  {typeName(t)}
                </Badge>
              ))}
            </span>
            <span className="flex items-center gap-1">
              Score <ScoreBadge score={project.score} levels={levels.data?.levels} testId="project-score" />
            </span>
          </span>
        }
        actions={
          <ProjectActions org={org} project={project} canWrite={canWrite} canDelete={can("project:delete")} />
        }
      />
      <Tabs.Root
        value={tab}
        // Manual: focusing a tab (after the click that already chose it) must not push a second,
        // identical history entry; arrows move focus, Enter or Space opens.
        activationMode="manual"
        onValueChange={(v) => {
          const next = new URLSearchParams(sp);
          if (v === "overview") next.delete("tab");
          else next.set("tab", v);
          setSp(next);
        }}
      >
        <Tabs.List aria-label="Project sections" className="mb-4 flex gap-1 border-b">
          {TABS.map((t) => (
            <Tabs.Trigger key={t.value} value={t.value} className={trigger}>
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="overview" className="focus-visible:outline-none">
          <OverviewTab org={org} routeId={id} data={q.data} canWrite={canWrite} />
        </Tabs.Content>
        <Tabs.Content value="dependencies" className="focus-visible:outline-none">
          <DependenciesTab org={org} project={project} canWrite={canWrite} />
        </Tabs.Content>
        <Tabs.Content value="scores" className="focus-visible:outline-none">
          <ScoresTab org={org} projectId={project.id} levels={levels.data?.levels} />
        </Tabs.Content>
        <Tabs.Content value="activity" className="focus-visible:outline-none">
          <ActivityTab org={org} projectId={project.id} canReadLog={can("operations_log:read")} />
        </Tabs.Content>
        <Tabs.Content value="deployments" className="focus-visible:outline-none">
          <DeploymentsTab org={org} projectId={project.id} canDeploy={can("project:deployment:write")} />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
