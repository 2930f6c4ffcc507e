#!/usr/bin/env node
// Entry point of the `purl` command: registers the TypeScript loader (tsx) and runs the CLI,
// so `npx purl …` works straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
