import { PageHeader } from "@/components/states";

export function Roles() {
  return <PageHeader title="Roles" description="Coming soon." />;
}
