// A deployment's status as text with a tone: the word carries the meaning, the colour only helps.
import { Badge } from "@/components/ui/card";
import { type DeploymentStatus, STATUS_LABEL, STATUS_TONE } from "./model";

export function DeploymentStatusBadge({ status }: { status: DeploymentStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge>;
}
