// The organization's score levels (GET/PUT …/scores/levels): shown to everyone, editable with
// organization:update. The server checks uniqueness; its field errors land on the rows.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { ApiError, api, unwrap } from "@/api/client";
import { ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { Level } from "./levels";

export function LevelsEditor({ org, levels, onDone }: { org: string; levels: Level[]; onDone: () => void }) {
  const qc = useQueryClient();
  const [rows, setRows] = useState<{ key: number; name: string; min: string }[]>(() =>
    levels.map((l, i) => ({ key: i, name: l.name, min: String(l.min_score) })),
  );
  const [nextKey, setNextKey] = useState(levels.length);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/api/organizations/{org}/scores/levels", {
          params: { path: { org } },
          body: { levels: rows.map((r) => ({ name: r.name.trim(), min_score: Number(r.min) })) },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["scores", org] });
      onDone();
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  return (
    <form
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {rows.map((r, i) => (
        <div key={r.key} className="grid grid-cols-[1fr_8rem_auto] items-start gap-2">
          <div className="grid gap-1">
            <Input
              aria-label={`Level ${i + 1} name`}
              value={r.name}
              required
              maxLength={32}
              aria-invalid={Boolean(errors[`levels.${i}.name`]) || undefined}
              onChange={(e) =>
                setRows(rows.map((x) => (x.key === r.key ? { ...x, name: e.target.value } : x)))
              }
            />
            {errors[`levels.${i}.name`] ? (
              <p role="alert" className="text-xs text-destructive">
                {errors[`levels.${i}.name`]}
              </p>
            ) : null}
          </div>
          <div className="grid gap-1">
            <Input
              aria-label={`Level ${i + 1} minimum score`}
              type="number"
              min={0}
              max={100}
              step="any"
              required
              value={r.min}
              aria-invalid={Boolean(errors[`levels.${i}.min_score`]) || undefined}
              onChange={(e) =>
                setRows(rows.map((x) => (x.key === r.key ? { ...x, min: e.target.value } : x)))
              }
            />
            {errors[`levels.${i}.min_score`] ? (
              <p role="alert" className="text-xs text-destructive">
                {errors[`levels.${i}.min_score`]}
              </p>
            ) : null}
          </div>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Remove level ${r.name || i + 1}`}
            onClick={() => setRows(rows.filter((x) => x.key !== r.key))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <ProblemAlert error={save.error} />
      <div className="flex flex-wrap gap-2">
        <Button
          variant="outline"
          disabled={rows.length >= 20}
          onClick={() => {
            setRows([...rows, { key: nextKey, name: "", min: "" }]);
            setNextKey(nextKey + 1);
          }}
        >
          <Plus aria-hidden /> Add level
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save levels"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
