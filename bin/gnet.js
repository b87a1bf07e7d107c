#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('gnet is not built yet: run `npm run build` (npm ci does it for you).');
  process.exit(2);
}
await import(cli.href);
