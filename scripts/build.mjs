// Bundles the CLI (and the runtime entry for generated modules) into dist/ with esbuild.
// Small pure-JS dependencies (chevrotain and its lodash-es, commander, cli-table3) are bundled: loading
// hundreds of tiny ES modules dominated `gnet report`'s start-up. TensorFlow.js, ts-morph and the
// native or optional packages stay external and load from node_modules only when a command needs them.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });

await build({
  // The language server's analysis threads start from their own file (lsp/pool.ts finds it beside the chunks).
  entryPoints: { cli: 'cli/main.ts', 'runtime/index': 'runtime/index.ts', 'compiler/index': 'compiler/index.ts', 'lsp-worker': 'lsp/worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@tensorflow/*', 'ts-morph', 'webgpu', 'playwright-core', 'pngjs', 'cli-progress'],
  sourcemap: true,
  // Bundled CommonJS packages (commander, cli-table3) call require() for Node built-ins.
  banner: { js: "import { createRequire as __gnetRequire } from 'node:module'; const require = __gnetRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The playground page (`gnet playground` serves it): bundled for the browser, not for Node.
const { buildPlayground } = await import('./build-web.mjs');
await buildPlayground({ out: 'dist/playground' });
