// The signed-in user's own API keys (every user may hold keys, so this screen is never hidden).
import { api, unwrap } from "@/api/client";
import { ApiKeysPanel } from "@/components/admin/ApiKeysPanel";
import { PageHeader } from "@/components/states";
import { useMe } from "@/lib/session";

export function ApiKeys() {
  const me = useMe();
  return (
    <>
      <PageHeader
        title="API keys"
        description="Your personal keys for scripts and CI. A key acts as you, limited to its scopes and organizations."
      />
      <ApiKeysPanel
        ops={{
          queryKey: ["api-keys", me.email],
          list: (cursor) => unwrap(api.GET("/api/api-keys", { params: { query: { limit: 100, cursor } } })),
          create: (body) => unwrap(api.POST("/api/api-keys", { body })),
          rotate: (key_id) =>
            unwrap(api.POST("/api/api-keys/{key_id}/rotate", { params: { path: { key_id } }, body: {} })),
          revoke: (key_id) => unwrap(api.DELETE("/api/api-keys/{key_id}", { params: { path: { key_id } } })),
          organizations: me.organizations.map((o) => ({ slug: o.slug, name: o.name })),
        }}
      />
    </>
  );
}
