#!/usr/bin/env node
// Runs the built CLI (dist/node/cli.js); in the repo before a build, the TypeScript source
// (Node 22.18+ strips types by default; older Node 22 needs --experimental-strip-types).
import { existsSync } from 'node:fs';

const dist = new URL('../dist/node/cli.js', import.meta.url);
await import(existsSync(dist) ? dist.href : new URL('../src/node/cli.ts', import.meta.url).href);
