// Organization memberships of a user or a service account: change the role, remove, add one.
import { useMutation, useQuery } from "@tanstack/react-query";
import { Plus, X } from "lucide-react";
import { useId, useState } from "react";
import { api, unwrap } from "@/api/client";
import { EmptyState, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/input";

export interface MembershipRow {
  slug: string;
  name: string;
  role: string;
}

export function useOrganizationsAndRoles() {
  const orgs = useQuery({
    queryKey: ["organizations", "all"],
    queryFn: () =>
      unwrap(api.GET("/api/organizations", { params: { query: { limit: 200 } } })).then((p) => p.data),
    staleTime: 60_000,
  });
  const roles = useQuery({
    queryKey: ["roles", "all"],
    queryFn: () => unwrap(api.GET("/api/roles", { params: { query: { limit: 200 } } })).then((p) => p.data),
    staleTime: 60_000,
  });
  return { orgs, roles };
}

export function MembershipEditor({
  memberships,
  canEdit,
  add,
  changeRole,
  remove,
}: {
  memberships: MembershipRow[];
  canEdit: boolean;
  add: (org: string, role: string) => Promise<unknown>;
  changeRole: (org: string, role: string) => Promise<unknown>;
  remove: (org: string) => Promise<unknown>;
}) {
  const id = useId();
  const { orgs, roles } = useOrganizationsAndRoles();
  const [org, setOrg] = useState("");
  const [role, setRole] = useState("");
  const [status, setStatus] = useState("");
  const addM = useMutation({
    mutationFn: () => add(org, role),
    onSuccess: () => {
      setStatus(`Added to ${org} as ${role}.`);
      setOrg("");
    },
  });
  const changeM = useMutation({
    mutationFn: (v: { org: string; role: string }) => changeRole(v.org, v.role),
    onSuccess: (_d, v) => setStatus(`${v.org}: role is now ${v.role}.`),
  });
  const removeM = useMutation({
    mutationFn: (o: string) => remove(o),
    onSuccess: (_d, o) => setStatus(`Removed from ${o}.`),
  });
  const roleOptions = (roles.data ?? []).map((r) => (
    <option key={r.slug} value={r.slug}>
      {r.name}
    </option>
  ));
  const available = (orgs.data ?? []).filter((o) => !memberships.some((m) => m.slug === o.slug));
  return (
    <div className="grid gap-3">
      <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {status}
      </p>
      {memberships.length === 0 ? (
        <EmptyState title="Not a member of any organization">
          {canEdit ? "Add a membership below to grant a role." : "An administrator can add memberships."}
        </EmptyState>
      ) : (
        <ul className="grid gap-1" aria-label="Memberships">
          {memberships.map((m) => (
            <li
              key={m.slug}
              className="flex flex-wrap items-center justify-between gap-2 rounded border px-3 py-1.5 text-sm"
            >
              <span className="font-medium">
                {m.name} <code className="text-xs text-muted-foreground">{m.slug}</code>
              </span>
              <span className="flex items-center gap-2">
                {canEdit ? (
                  <>
                    <Select
                      aria-label={`Role in ${m.slug}`}
                      className="w-40"
                      value={m.role}
                      onChange={(e) => changeM.mutate({ org: m.slug, role: e.target.value })}
                    >
                      {roles.data?.some((r) => r.slug === m.role) ? null : (
                        <option value={m.role}>{m.role}</option>
                      )}
                      {roleOptions}
                    </Select>
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Remove from ${m.slug}`}
                      onClick={() => removeM.mutate(m.slug)}
                    >
                      <X aria-hidden />
                    </Button>
                  </>
                ) : (
                  <span>{m.role}</span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ProblemAlert error={changeM.error ?? removeM.error} />
      {canEdit ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (org && role) addM.mutate();
          }}
        >
          <Field id={`${id}-org`} label="Organization">
            <Select id={`${id}-org`} className="w-48" value={org} onChange={(e) => setOrg(e.target.value)}>
              <option value="">Choose…</option>
              {available.map((o) => (
                <option key={o.slug} value={o.slug}>
                  {o.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field id={`${id}-role`} label="Role">
            <Select id={`${id}-role`} className="w-40" value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">Choose…</option>
              {roleOptions}
            </Select>
          </Field>
          <Button type="submit" disabled={!org || !role || addM.isPending}>
            <Plus aria-hidden /> Add membership
          </Button>
        </form>
      ) : null}
      <ProblemAlert error={addM.error} />
      <ProblemAlert error={orgs.error ?? roles.error} />
    </div>
  );
}
