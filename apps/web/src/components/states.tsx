// Loading, error and empty states, the same on every screen: an error shows the server's
// problem+json `detail` (never swallowed), an empty list says what to do next.
import { AlertTriangle, Inbox, Loader2 } from "lucide-react";
import type * as React from "react";
import { useEffect } from "react";
import { ApiError } from "@/api/client";
import { cn } from "@/lib/utils";
import { Button } from "./ui/button";

export function ProblemAlert({
  error,
  onRetry,
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  className?: string;
}) {
  if (!error) return null;
  const detail = error instanceof Error ? error.message : String(error);
  const title =
    error instanceof ApiError
      ? (error.problem.title ?? `Request failed (${error.status})`)
      : "Something went wrong";
  return (
    <div
      role="alert"
      className={cn(
        "flex items-start gap-3 rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm",
        className,
      )}
    >
      <AlertTriangle className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
      <div className="grid gap-1">
        <p className="font-medium">{title}</p>
        <p data-testid="problem-detail">{detail}</p>
        {onRetry ? (
          <Button variant="outline" size="sm" className="w-fit" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </div>
    </div>
  );
}

export function Loading({ label = "Loading…", className }: { label?: string; className?: string }) {
  return (
    <div role="status" className={cn("flex items-center gap-2 p-4 text-sm text-muted-foreground", className)}>
      <Loader2 className="size-4 animate-spin" aria-hidden />
      {label}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed p-8 text-center">
      <Inbox className="size-6 text-muted-foreground" aria-hidden />
      <p className="font-medium">{title}</p>
      {children ? <div className="max-w-md text-sm text-muted-foreground">{children}</div> : null}
      {action}
    </div>
  );
}

/**
 * A page's title row, with actions on the right. Sets document.title too (from `title` when it is
 * text, else from `documentTitle`), so history entries and tabs say which screen they are.
 */
export function PageHeader({
  title,
  description,
  actions,
  documentTitle,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  documentTitle?: string;
}) {
  const text = documentTitle ?? (typeof title === "string" ? title : undefined);
  useEffect(() => {
    if (text) document.title = `${text} · Imbi`;
  }, [text]);
  return (
    <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
      <div className="grid gap-1">
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

/** "Load more" under a keyset-paged list (a TanStack infinite query); nothing when on the last page. */
export function MoreButton({
  q,
  label = "Load more",
}: {
  q: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  label?: string;
}) {
  if (!q.hasNextPage) return null;
  return (
    <Button
      variant="outline"
      size="sm"
      className="justify-self-center"
      disabled={q.isFetchingNextPage}
      onClick={() => q.fetchNextPage()}
    >
      {q.isFetchingNextPage ? "Loading…" : label}
    </Button>
  );
}
