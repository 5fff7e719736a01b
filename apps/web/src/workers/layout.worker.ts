// The graph layout off the main thread: ELK's layered algorithm (elk.bundled runs its own
// in-process "worker" here, inside this real one), or the linear grid layering for graphs too
// large for ELK. Served from 'self' as a module worker, so the page's CSP (worker-src 'self')
// allows it; no blob: URL, no eval.
import ELK from "elkjs/lib/elk.bundled.js";
import {
  type DrawGraph,
  ELK_LIMIT,
  fromElk,
  gridLayered,
  type Positioned,
  toElk,
} from "../components/graph/model";

export interface LayoutRequest {
  id: number;
  graph: DrawGraph;
}
export type LayoutResponse = { id: number; result: Positioned } | { id: number; error: string };

const elk = new ELK();

/** Lays a graph out: ELK up to ELK_LIMIT nodes, the grid layering above. */
export async function layout(graph: DrawGraph): Promise<Positioned> {
  if (graph.nodes.length > ELK_LIMIT) return gridLayered(graph);
  return fromElk(await elk.layout(toElk(graph)));
}

// elk.bundled installs its own message handler when loaded in a worker; this one replaces it.
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage: (m: LayoutResponse) => void;
};
if (typeof document === "undefined" && typeof scope.postMessage === "function") {
  scope.onmessage = (e) => {
    const { id, graph } = e.data;
    layout(graph).then(
      (result) => scope.postMessage({ id, result }),
      (err: unknown) => scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
    );
  };
}
