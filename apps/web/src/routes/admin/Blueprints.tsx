import { PageHeader } from "@/components/states";

export function Blueprints() {
  return <PageHeader title="Blueprints" description="Coming soon." />;
}
