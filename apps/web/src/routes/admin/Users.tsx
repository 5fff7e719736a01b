import { PageHeader } from "@/components/states";

export function Users() {
  return <PageHeader title="Users" description="Coming soon." />;
}
