import { PageHeader } from "@/components/states";

export function Catalog() {
  return <PageHeader title="Catalog" description="Coming soon." />;
}
