#!/usr/bin/env node
// The `sealwatch` command. TypeScript sources run through tsx's loader, so a clone needs no build step.
import { register } from 'tsx/esm/api';
register();
await import('../packages/server/src/cli/main.ts');
