// ⌘K: search projects, teams and project types through GET {org}/search as you type (debounced),
// and jump to any screen. cmdk gives the listbox semantics and arrow-key navigation.
import { useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { Dialog as D } from "radix-ui";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { api, unwrap } from "@/api/client";
import { ProblemAlert } from "./states";

const SCREENS = [
  ["Catalog", "projects"],
  ["Dependency graph", "graph"],
  ["Scores", "scores"],
  ["Operations log", "operations-log"],
  ["Teams", "teams"],
  ["Environments", "environments"],
  ["Project types", "project-types"],
  ["Link definitions", "link-definitions"],
] as const;

/** The value after `ms` without changes. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function CommandPalette({
  open,
  onOpenChange,
  org,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  org: string;
}) {
  const [q, setQ] = useState("");
  const query = useDebounced(q.trim(), 150);
  const navigate = useNavigate();
  const results = useQuery({
    queryKey: ["search", org, query],
    enabled: open && query.length >= 2,
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/search", {
          params: { path: { org }, query: { q: query, limit: 20 } },
        }),
      ),
    placeholderData: (prev) => prev,
  });
  const go = (to: string) => {
    onOpenChange(false);
    setQ("");
    navigate(to);
  };
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <D.Content className="fixed left-1/2 top-[15vh] z-50 w-full max-w-xl -translate-x-1/2 overflow-hidden rounded-lg border bg-popover text-popover-foreground shadow-xl">
          <D.Title className="sr-only">Search</D.Title>
          <D.Description className="sr-only">
            Search projects, teams and project types, or jump to a screen
          </D.Description>
          <Command shouldFilter={false} label="Search">
            <Command.Input
              value={q}
              onValueChange={setQ}
              placeholder="Search projects, teams, types…"
              className="h-12 w-full border-b bg-transparent px-4 text-sm outline-none"
            />
            <Command.List className="max-h-[60vh] overflow-y-auto p-2">
              {results.isError ? <ProblemAlert error={results.error} className="m-2" /> : null}
              {query.length >= 2 && results.data?.data.length === 0 ? (
                <Command.Empty className="p-3 text-sm text-muted-foreground">
                  Nothing matches “{query}”.
                </Command.Empty>
              ) : null}
              {results.data && query.length >= 2 ? (
                <Command.Group heading="Results" className="text-xs text-muted-foreground">
                  {results.data.data.map((hit) => (
                    <Command.Item
                      key={`${hit.kind}:${hit.id}`}
                      value={`${hit.kind}:${hit.id}`}
                      onSelect={() =>
                        go(
                          hit.kind === "project"
                            ? `/o/${org}/projects/${hit.id}`
                            : hit.kind === "team"
                              ? `/o/${org}/projects?team=${hit.slug}`
                              : `/o/${org}/projects?project_type=${hit.slug}`,
                        )
                      }
                      className="flex cursor-pointer items-center justify-between rounded px-2 py-2 text-sm text-foreground aria-selected:bg-accent"
                    >
                      <span>{hit.name}</span>
                      <span className="text-xs text-muted-foreground">{hit.kind.replace("_", " ")}</span>
                    </Command.Item>
                  ))}
                </Command.Group>
              ) : null}
              <Command.Group heading="Go to" className="text-xs text-muted-foreground">
                {SCREENS.filter(([label]) => label.toLowerCase().includes(q.trim().toLowerCase())).map(
                  ([label, path]) => (
                    <Command.Item
                      key={path}
                      value={`screen:${path}`}
                      onSelect={() => go(`/o/${org}/${path}`)}
                      className="cursor-pointer rounded px-2 py-2 text-sm text-foreground aria-selected:bg-accent"
                    >
                      {label}
                    </Command.Item>
                  ),
                )}
              </Command.Group>
            </Command.List>
          </Command>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
