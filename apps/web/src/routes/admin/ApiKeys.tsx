import { PageHeader } from "@/components/states";

export function ApiKeys() {
  return <PageHeader title="ApiKeys" description="Coming soon." />;
}
