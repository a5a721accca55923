#!/usr/bin/env node
// Loads the TypeScript CLI through tsx's loader so `npx tradeguard` works from a clone without a build step.
import { register } from "tsx/esm/api";

register();
const { runAsProcess } = await import("./main.ts");
await runAsProcess();
