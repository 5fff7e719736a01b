import { PageHeader } from "@/components/states";

export function OperationsLog() {
  return <PageHeader title="OperationsLog" description="Coming soon." />;
}
