#!/usr/bin/env node
// The `redis-persistence` command: registers tsx so the TypeScript sources run as they are, then hands over.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../harness/cli/main.ts");
await runCli(process.argv.slice(2));
