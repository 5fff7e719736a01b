import { PageHeader } from "@/components/states";

export function ProjectTypes() {
  return <PageHeader title="ProjectTypes" description="Coming soon." />;
}
