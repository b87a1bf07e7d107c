// Bundles the CLI (and the runtime entry for generated modules) into dist/ with esbuild.
// Small pure-JS dependencies (chevrotain and its lodash-es, commander, cli-table3) are bundled: loading
// hundreds of tiny ES modules dominated `gnet report`'s start-up. TensorFlow.js, ts-morph and the
// native or optional packages stay external and load from node_modules only when a command needs them.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// tfjs-core's gradient functions, which Node alone loads only through a resolve hook (runtime/gradients.ts),
// go into the bundle as one file, dist/tfjs-gradients.js, imported when the runtime loads: about 2
// CPU-seconds less at the start of every command that trains. tfjs-core itself stays external.
const GRADIENTS = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
const bundleGradients = {
  name: 'bundle-tfjs-gradients',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients\.js$/ }, () => ({ path: GRADIENTS }));
  },
};

// CommonJS packages loaded with require(), not import: Node scans a CommonJS file imported from ESM for
// its named exports (cjs-module-lexer), about 0.25 s for ts-morph's TypeScript and 0.15 s for tfjs-core.
// Both forms share one module instance (require.cache), so generated modules that import tfjs-core meet the same engine.
const REQUIRED = /^(ts-morph|@tensorflow\/tfjs-core)$/;
const requireCommonJs = {
  name: 'require-commonjs',
  setup(b) {
    b.onResolve({ filter: REQUIRED }, (args) => (args.namespace === 'required' ? { path: args.path, external: true } : { path: args.path, namespace: 'required' }));
    b.onLoad({ filter: /.*/, namespace: 'required' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

rmSync('dist', { recursive: true, force: true });

await build({
  // The language server's analysis threads start from their own file (lsp/pool.ts finds it beside the chunks).
  entryPoints: { cli: 'cli/main.ts', 'runtime/index': 'runtime/index.ts', 'compiler/index': 'compiler/index.ts', 'lsp-worker': 'lsp/worker.ts', 'tfjs-gradients': GRADIENTS },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@tensorflow/*', 'ts-morph', 'webgpu', 'playwright-core', 'pngjs', 'cli-progress'],
  sourcemap: true,
  plugins: [bundleGradients, requireCommonJs],
  define: { GNET_BUNDLED_GRADIENTS: 'true' },
  // Bundled CommonJS packages (commander, cli-table3) call require() for Node built-ins.
  banner: { js: "import { createRequire as __gnetRequire } from 'node:module'; const require = __gnetRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The playground page (`gnet playground` serves it): bundled for the browser, not for Node.
const { buildPlayground } = await import('./build-web.mjs');
await buildPlayground({ out: 'dist/playground' });
