#!/usr/bin/env node
// The `imbi` command: runs the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("../apps/node/cli.ts");
