import { PageHeader } from "@/components/states";

export function LinkDefinitions() {
  return <PageHeader title="LinkDefinitions" description="Coming soon." />;
}
