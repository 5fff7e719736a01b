// A secret (API key, client secret) the server shows exactly once: a clear warning, the value in
// a read-only field, and a copy button that says whether it worked. Closing it forgets the secret.
import { Check, Copy, TriangleAlert } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";

export function SecretOnceDialog({
  title,
  label,
  secret,
  extra,
  stored = "hashed",
  onClose,
}: {
  title: string;
  label: string;
  secret: string;
  extra?: React.ReactNode;
  /**
   * How Imbi keeps it: `hashed` (keys and client secrets: only a hash) or `sealed` (webhook
   * secrets: encrypted, since signing and verifying need the secret itself — but never shown).
   */
  stored?: "hashed" | "sealed";
  onClose: () => void;
}) {
  const id = useId();
  const [copied, setCopied] = useState<"" | "yes" | "no">("");
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={title}>
      <div
        role="alert"
        className="flex items-start gap-2 rounded-md border border-amber-500/50 bg-amber-500/10 p-3 text-sm"
      >
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
        <p>
          {stored === "hashed"
            ? "Copy it now: this is the only time it is shown. Imbi keeps only a hash, so it cannot be shown again — if you lose it, rotate or create a new one."
            : "Copy it now: this is the only time it is shown. Imbi keeps it encrypted to sign or verify deliveries, and never shows it again — if you lose it, rotate it."}
        </p>
      </div>
      {extra}
      <div className="grid gap-1.5">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <div className="flex gap-2">
          <Input
            id={id}
            readOnly
            value={secret}
            className="font-mono text-xs"
            onFocus={(e) => e.target.select()}
          />
          <Button
            variant="outline"
            onClick={() =>
              navigator.clipboard
                .writeText(secret)
                .then(() => setCopied("yes"))
                .catch(() => setCopied("no"))
            }
          >
            {copied === "yes" ? <Check aria-hidden /> : <Copy aria-hidden />} Copy
          </Button>
        </div>
        <p role="status" aria-live="polite" className="text-xs text-muted-foreground">
          {copied === "yes"
            ? "Copied to the clipboard."
            : copied === "no"
              ? "Copy failed: select the text and copy it."
              : ""}
        </p>
      </div>
      <div className="flex justify-end">
        <Button onClick={onClose}>I have stored it</Button>
      </div>
    </Dialog>
  );
}
