/**
 * How a test starts `gnet` in a child process: `node ...GNET_NODE_ARGS gnet-arguments…`. That is the
 * bundle users run (dist/cli.js) when it was built from the sources as they are, else the sources
 * under tsx. Most of the suite's time goes into starting CLIs, and tsx compiles every module on load:
 * the bundle starts about 2 s of CPU sooner per process. `npm test` (scripts/run-tests.mjs) builds
 * dist/ first when a source changed, so it always tests the current sources through the bundle.
 */
import { join } from 'node:path';
import { distIsFresh } from '../../scripts/dist-fresh.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const HOOKS = ['--import', join(ROOT, 'test/support/cli-hooks.mjs')];

export const GNET_NODE_ARGS: readonly string[] = distIsFresh(ROOT)
  ? [...HOOKS, join(ROOT, 'dist/cli.js')]
  : ['--import', 'tsx', ...HOOKS, join(ROOT, 'cli/main.ts')];
