import { PageHeader } from "@/components/states";

export function ServiceAccounts() {
  return <PageHeader title="ServiceAccounts" description="Coming soon." />;
}
