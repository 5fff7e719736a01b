// A service account's public signing keys (JWK, Ed25519 or P-256) for the RFC 7523 assertion
// grant: list, register (paste the public JWK; private keys are refused by the server), revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useId, useState } from "react";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { when } from "@/components/reference/fetchers";
import { EmptyState, Loading, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/input";

type PublicJwk = components["schemas"]["PublicJwk"];

/** The pasted text as a JWK object, or why it is not one. */
export function parseJwk(text: string): { jwk: PublicJwk } | { error: string } {
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== "object" || Array.isArray(v))
      return { error: "Paste a JSON object (a public JWK)." };
    return { jwk: v as PublicJwk };
  } catch {
    return { error: "This is not valid JSON." };
  }
}

export function SigningKeys({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const qc = useQueryClient();
  const id = useId();
  const key = ["service-accounts", slug, "keys"];
  const [name, setName] = useState("");
  const [jwk, setJwk] = useState("");
  const [jwkError, setJwkError] = useState<string>();
  const list = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/service-accounts/{slug}/keys", { params: { path: { slug } } })),
  });
  const register = useMutation({
    mutationFn: (body: { name: string; jwk: PublicJwk }) =>
      unwrap(api.POST("/api/service-accounts/{slug}/keys", { params: { path: { slug } }, body })),
    onSuccess: async () => {
      setName("");
      setJwk("");
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (kid: string) =>
      unwrap(api.DELETE("/api/service-accounts/{slug}/keys/{kid}", { params: { path: { slug, kid } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  const rows = list.data?.data ?? [];
  return (
    <div className="grid gap-3">
      {list.isPending ? <Loading /> : null}
      <ProblemAlert error={list.error} />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState title="No signing keys">
          Register a public key to let this account sign its own token requests (no shared secret).
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <ul className="grid gap-1" aria-label="Signing keys">
          {rows.map((k) => (
            <li
              key={k.kid}
              className="flex flex-wrap items-center justify-between gap-2 rounded border px-3 py-1.5 text-sm"
            >
              <span>
                <span className="font-medium">{k.name}</span> <code className="text-xs">{k.alg}</code>{" "}
                <code className="break-all text-xs text-muted-foreground">{k.kid}</code>{" "}
                <span className="text-xs text-muted-foreground">
                  {k.revoked_at ? "revoked" : `last used ${when(k.last_used_at)}`}
                </span>
              </span>
              {canEdit && !k.revoked_at ? (
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Revoke key ${k.name}`}
                  onClick={() => revoke.mutate(k.kid)}
                >
                  <Trash2 aria-hidden /> Revoke
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ProblemAlert error={revoke.error} />
      {canEdit ? (
        <form
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const parsed = parseJwk(jwk);
            if ("error" in parsed) return setJwkError(parsed.error);
            setJwkError(undefined);
            register.mutate({ name: name.trim(), jwk: parsed.jwk });
          }}
        >
          <Field id={`${id}-name`} label="Key name">
            <Input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field
            id={`${id}-jwk`}
            label="Public JWK"
            hint='For example {"kty":"OKP","crv":"Ed25519","x":"…"}'
            error={jwkError}
          >
            <Textarea
              id={`${id}-jwk`}
              className="font-mono text-xs"
              value={jwk}
              aria-invalid={jwkError ? true : undefined}
              aria-describedby={jwkError ? `${id}-jwk-error` : `${id}-jwk-hint`}
              onChange={(e) => setJwk(e.target.value)}
            />
          </Field>
          <ProblemAlert error={register.error} />
          <Button
            type="submit"
            className="w-fit"
            disabled={register.isPending || !name.trim() || !jwk.trim()}
          >
            <Plus aria-hidden /> Register key
          </Button>
        </form>
      ) : null}
    </div>
  );
}
