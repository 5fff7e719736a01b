// Pieces shared by the webhook and subscription screens: status badges with their text, pretty
// JSON in a scrollable (keyboard-focusable) block, the receiver URL, and "type the slug to delete".
import { useId, useState } from "react";
import { API_PREFIX, ApiError } from "@/api/client";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";

const TONES: Record<string, string> = {
  pending: "border-amber-500/50 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  processed: "border-emerald-500/50 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  delivered: "border-emerald-500/50 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  succeeded: "border-emerald-500/50 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  active: "border-emerald-500/50 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  skipped: "border-border bg-muted text-muted-foreground",
  inactive: "border-border bg-muted text-muted-foreground",
  dead: "border-destructive/50 bg-destructive/10 text-red-800 dark:text-red-300",
  failed: "border-destructive/50 bg-destructive/10 text-red-800 dark:text-red-300",
  open: "border-destructive/50 bg-destructive/10 text-red-800 dark:text-red-300",
};

/** A status as a badge: the word is always there (colour is never the only signal). */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium",
        TONES[status] ?? TONES.skipped,
        className,
      )}
    >
      {status}
    </span>
  );
}

/** Pretty JSON in a scrollable block that keyboard users can scroll (it takes focus). */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <section
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      aria-label={label}
      className="max-h-80 overflow-auto rounded-md border bg-muted/40 p-3 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      <pre className="font-mono text-xs">{JSON.stringify(value, null, 2)}</pre>
    </section>
  );
}

/** The absolute URL a sender posts to: this origin, the API prefix, the webhook's path. */
export function receiverUrl(path: string, origin: string = window.location.origin): string {
  return `${origin}${API_PREFIX}${path}`;
}

/** A destructive confirmation that needs the thing's slug typed (no deleting by a stray click). */
export function TypeToDeleteDialog({
  open,
  onOpenChange,
  title,
  slug,
  description,
  onConfirm,
  pending,
  error,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  slug: string;
  description: React.ReactNode;
  onConfirm: () => void;
  pending?: boolean;
  error?: React.ReactNode;
}) {
  const id = useId();
  const [typed, setTyped] = useState("");
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(o) => {
        if (!o) setTyped("");
        onOpenChange(o);
      }}
      title={title}
      description={description}
      confirmLabel="Delete"
      pending={pending || typed !== slug}
      onConfirm={() => typed === slug && onConfirm()}
    >
      <div className="grid gap-1.5">
        <label htmlFor={id} className="text-sm font-medium">
          Type <code className="font-mono">{slug}</code> to confirm
        </label>
        <Input id={id} value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
      </div>
      {error}
    </ConfirmDialog>
  );
}

/** The absolute receiver URL in a read-only field, for pasting into the sender's settings. */
export function ReceiverUrl({ path }: { path: string }) {
  const id = useId();
  return (
    <div className="grid gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        Receiver URL (the sender's payload URL)
      </label>
      <Input
        id={id}
        readOnly
        value={receiverUrl(path)}
        className="font-mono text-xs"
        onFocus={(e) => e.target.select()}
      />
    </div>
  );
}

export const CONFLICT = "It was changed by someone else since you loaded it — reload to see their change.";

/** The error of a write, with a 412 explained. */
export function WriteError({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (error instanceof ApiError && error.status === 412)
    return (
      <div
        role="alert"
        className="flex flex-wrap items-center gap-2 rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm"
      >
        <span>{CONFLICT}</span>
        <Button variant="outline" size="sm" onClick={onReload}>
          Reload
        </Button>
      </div>
    );
  return <ProblemAlert error={error} />;
}
