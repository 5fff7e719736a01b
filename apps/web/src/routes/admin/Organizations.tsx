import { PageHeader } from "@/components/states";

export function Organizations() {
  return <PageHeader title="Organizations" description="Coming soon." />;
}
