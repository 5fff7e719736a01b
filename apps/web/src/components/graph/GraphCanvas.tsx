// The drawing surface shared by the project and organization graphs: React Flow with positions
// from the layout worker. Project nodes are links to the project page (keyboard and screen-reader
// reachable) and carry data-testid="graph-node-<slug>"; team clusters are buttons that expand.
// Far zoomed out, nodes draw as plain boxes, and only visible elements render at all.
import "@xyflow/react/dist/style.css";
import {
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  MiniMap,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  useStore,
} from "@xyflow/react";
import { memo, useMemo } from "react";
import { Link } from "react-router";
import { cn } from "@/lib/utils";
import type { DrawGraph, DrawNode, Positioned } from "./model";

export interface NodeMarks {
  /** The project the view is about. */
  focus?: string;
  /** On the highlighted path. */
  path?: ReadonlySet<string>;
  pathEdges?: ReadonlySet<string>;
  /** On a dependency cycle. */
  cycle?: ReadonlySet<string>;
  cycleEdges?: ReadonlySet<string>;
}

interface NodeData extends Record<string, unknown> {
  node: DrawNode;
  org: string;
  focus: boolean;
  onPath: boolean;
  onCycle: boolean;
  onExpand?: (team: string) => void;
}

const LOW_ZOOM = 0.3;
const zoomSelector = (s: { transform: [number, number, number] }) => s.transform[2] < LOW_ZOOM;

const GraphNodeView = memo(function GraphNodeView({ data }: NodeProps<Node<NodeData>>) {
  const low = useStore(zoomSelector);
  const { node, org, focus, onPath, onCycle, onExpand } = data;
  const tone = cn(
    "flex h-full w-full items-center gap-2 rounded-md border bg-card px-2 text-left text-xs text-card-foreground shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-ring",
    focus && "border-2 border-primary bg-primary/10 font-semibold",
    onPath && "border-2 border-amber-500 bg-amber-500/15",
    onCycle && "border-2 border-dashed border-red-500",
  );
  const handles = (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className="!opacity-0" />
      <Handle type="source" position={Position.Right} isConnectable={false} className="!opacity-0" />
    </>
  );
  if (node.kind === "team") {
    return (
      <>
        {handles}
        <button
          type="button"
          data-testid={`graph-team-${node.slug}`}
          className={cn(tone, "flex-col items-start justify-center border-dashed bg-muted")}
          // Zoomed out the box is drawn empty: the name is then spelled out (the same words).
          aria-label={low ? `Team ${node.label} ${node.count} projects · click to expand` : undefined}
          onClick={() => onExpand?.(node.slug)}
        >
          {low ? null : (
            <>
              <span className="font-semibold">
                <span className="sr-only">Team </span>
                {node.label}
              </span>
              <span className="text-muted-foreground">{node.count} projects · click to expand</span>
            </>
          )}
        </button>
      </>
    );
  }
  return (
    <>
      {handles}
      <Link
        to={`/o/${org}/projects/${node.slug}`}
        data-testid={`graph-node-${node.slug}`}
        data-focus={focus || undefined}
        data-on-path={onPath || undefined}
        data-on-cycle={onCycle || undefined}
        className={tone}
        title={`${node.label}${node.team ? ` (${node.team})` : ""}`}
      >
        {low ? null : (
          <span className="grid min-w-0">
            <span className="truncate">{node.label}</span>
            <span className="truncate text-[10px] text-muted-foreground">
              {node.team ?? "no team"}
              {onCycle ? " · in a cycle" : ""}
              {onPath ? " · on path" : ""}
            </span>
          </span>
        )}
      </Link>
    </>
  );
});

const nodeTypes = { item: GraphNodeView };
const noop = () => undefined;

export function GraphCanvas({
  org,
  graph,
  positions,
  marks = {},
  onExpand,
  label,
}: {
  org: string;
  graph: DrawGraph;
  positions: Positioned["positions"];
  marks?: NodeMarks;
  onExpand?: (team: string) => void;
  label: string;
}) {
  const dark = typeof document !== "undefined" && document.documentElement.classList.contains("dark");
  const nodes = useMemo<Node<NodeData>[]>(
    () =>
      graph.nodes.map((n) => ({
        id: n.id,
        type: "item",
        position: positions[n.id] ?? { x: 0, y: 0 },
        width: n.width,
        height: n.height,
        draggable: false,
        connectable: false,
        selectable: false,
        focusable: false,
        data: {
          node: n,
          org,
          focus: marks.focus === n.id,
          onPath: marks.path?.has(n.id) ?? false,
          onCycle: marks.cycle?.has(n.id) ?? false,
          onExpand,
        },
      })),
    [graph, positions, org, marks, onExpand],
  );
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((e) => {
        const key = `${e.source}->${e.target}`;
        const onPath = marks.pathEdges?.has(key) ?? false;
        const onCycle = marks.cycleEdges?.has(key) ?? false;
        const stroke = onPath ? "#f59e0b" : onCycle ? "#ef4444" : undefined;
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          label: e.count > 1 ? String(e.count) : undefined,
          animated: onPath,
          focusable: false,
          markerEnd: { type: MarkerType.ArrowClosed, color: stroke },
          style: stroke ? { stroke, strokeWidth: 2 } : undefined,
        };
      }),
    [graph, marks],
  );
  return (
    <section aria-label={label} className="h-full min-h-[480px] w-full rounded-lg border bg-background">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ minZoom: 0.35 }}
        minZoom={0.02}
        maxZoom={2}
        onlyRenderVisibleElements
        // Without a click handler React Flow turns pointer events off on unselectable nodes; the
        // links and buttons inside the nodes do the work.
        onNodeClick={noop}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        colorMode={dark ? "dark" : "light"}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
        {graph.nodes.length > 30 ? <MiniMap pannable zoomable ariaLabel="Graph overview" /> : null}
      </ReactFlow>
    </section>
  );
}
