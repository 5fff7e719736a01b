import { PageHeader } from "@/components/states";

export function ProjectPage() {
  return <PageHeader title="ProjectPage" description="Coming soon." />;
}
