// The web app's build (docs/web.md). `npm run build:web` writes dist/web, which both hosts serve
// under /static/app/ (the Node host from disk, Workers as static assets; ADR 0012); any page URL
// that is not an API route answers with its index.html. `npm run dev:web` runs Vite's dev server
// with the API proxied to a local `imbi serve` (IMBI_DEV_API, default http://localhost:8000).
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.IMBI_DEV_API ?? "http://localhost:8000";
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig(({ command }) => ({
  root,
  // Built files live under /static/app/ on the hosts; the dev server serves from its root.
  base: command === "build" ? "/static/app/" : "/",
  plugins: [react(), tailwindcss()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL("../../dist/web", import.meta.url)),
    emptyOutDir: true,
    // Hashed names under assets/ are immutable; index.html is the only file that changes.
    assetsDir: "assets",
    sourcemap: true,
    manifest: true,
    target: "es2022",
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: "es" },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      ["/api", "/openapi.json", "/.well-known", "/mcp", "/docs", "/static/swagger-ui", "/status"].map((p) => [
        p,
        { target: api, changeOrigin: false },
      ]),
    ),
  },
}));
