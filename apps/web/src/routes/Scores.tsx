import { PageHeader } from "@/components/states";

export function Scores() {
  return <PageHeader title="Scores" description="Coming soon." />;
}
