import { PageHeader } from "@/components/states";

export function Teams() {
  return <PageHeader title="Teams" description="Coming soon." />;
}
