import { PageHeader } from "@/components/states";

export function Policies() {
  return <PageHeader title="Policies" description="Coming soon." />;
}
