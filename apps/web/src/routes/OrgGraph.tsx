import { PageHeader } from "@/components/states";

export function OrgGraph() {
  return <PageHeader title="OrgGraph" description="Coming soon." />;
}
