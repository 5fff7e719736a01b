// Placeholder until the graph view lands: the contract the project page relies on.
// Props: the organization, the project id. Every node shown carries data-testid="graph-node-<slug>".
export interface ProjectGraphProps {
  org: string;
  projectId: string;
}

export function ProjectGraph(_props: ProjectGraphProps) {
  return <p className="text-sm text-muted-foreground">The graph view is coming.</p>;
}
