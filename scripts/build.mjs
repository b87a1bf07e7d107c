// Bundles the CLI (and the runtime entry for generated modules) into dist/ with esbuild.
// Dependencies stay external: they load from node_modules, heavy ones (tfjs, ts-morph) only when a command needs them.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'cli/main.ts', 'runtime/index': 'runtime/index.ts', 'compiler/index': 'compiler/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
