import { PageHeader } from "@/components/states";

export function Environments() {
  return <PageHeader title="Environments" description="Coming soon." />;
}
