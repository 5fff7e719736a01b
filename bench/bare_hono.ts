// The floor for HTTP overhead: a bare Hono app on the same @hono/node-server adapter.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono().get("/hello", (c) => c.json({ status: "ok" }));
const port = Number(process.env.PORT ?? 0);
serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, (info) => console.log(`listening ${info.port}`));
