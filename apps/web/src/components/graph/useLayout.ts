// Runs layouts in the layout worker (one worker per page, requests matched by id) and exposes the
// positions of the latest graph to React.
import { useEffect, useState } from "react";
import type { LayoutRequest, LayoutResponse } from "@/workers/layout.worker";
import type { DrawGraph, Positioned } from "./model";

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (p: Positioned) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("../../workers/layout.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (e: MessageEvent<LayoutResponse>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id);
      if ("error" in e.data) p.reject(new Error(`Layout failed: ${e.data.error}`));
      else p.resolve(e.data.result);
    };
    worker.onerror = (e) => {
      for (const p of pending.values()) p.reject(new Error(`Layout failed: ${e.message}`));
      pending.clear();
    };
  }
  return worker;
}

export function layoutInWorker(graph: DrawGraph): Promise<Positioned> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    const msg: LayoutRequest = { id, graph };
    getWorker().postMessage(msg);
  });
}

/** Positions for `graph` (undefined while the worker computes them). */
export function useLayout(graph: DrawGraph | undefined): {
  positions?: Positioned["positions"];
  error?: Error;
  graph?: DrawGraph;
} {
  const [state, setState] = useState<{
    graph?: DrawGraph;
    positions?: Positioned["positions"];
    error?: Error;
  }>({});
  useEffect(() => {
    if (!graph) return;
    let live = true;
    layoutInWorker(graph).then(
      (r) => live && setState({ graph, positions: r.positions }),
      (error: Error) => live && setState({ graph, error }),
    );
    return () => {
      live = false;
    };
  }, [graph]);
  return state.graph === graph ? state : {};
}
