// Builds the browser page (web/index.html + main.js): compiles a .gnet spec with `gnet compile`,
// then bundles web/main.ts with the generated modules, the gnet runtime and TensorFlow.js' WebGPU
// backend (esbuild). Usage: node scripts/build-web.mjs [--spec specs/lenet5.gnet] [--out web/dist]
// `--playground` builds the playground (web/playground: editor, compiler worker, live report) instead.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Every network of `spec` as a TypeScript module in `dir`, plus `dir/index.ts` exporting MODELS by network name. */
function compileSpec(spec, dir) {
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/main.ts'), 'compile', spec, '--out', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const networks = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  const imports = networks.map((name, i) => `import * as m${i} from ${JSON.stringify(`./${name}.ts`)};`);
  const entries = networks.map((name, i) => `${JSON.stringify(name)}: m${i}`);
  writeFileSync(join(dir, 'index.ts'), `${imports.join('\n')}\nexport const MODELS = { ${entries.join(', ')} };\n`);
  return networks;
}

/** Resolves the two names only the page uses: the compiled models and the runtime generated modules import. */
function gnetModules(modelsDir) {
  const targets = { 'gnet:models': join(modelsDir, 'index.ts'), 'gnet/runtime': join(ROOT, 'runtime/index.ts') };
  return {
    name: 'gnet-modules',
    setup(b) {
      b.onResolve({ filter: /^gnet(:models|\/runtime)$/ }, (args) => ({ path: targets[args.path] }));
    },
  };
}

/** Builds the page into `out`; returns the networks it holds. */
export async function buildWeb({ spec = join(ROOT, 'specs/lenet5.gnet'), out = join(ROOT, 'web/dist'), entry = join(ROOT, 'web/main.ts') } = {}) {
  const modelsDir = mkdtempSync(join(tmpdir(), 'gnet-web-models-'));
  try {
    const networks = compileSpec(resolve(spec), modelsDir);
    mkdirSync(out, { recursive: true });
    await build({
      entryPoints: { main: entry },
      outdir: out,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: true,
      logLevel: 'error',
      plugins: [gnetModules(modelsDir)],
      // The generated modules sit in a temporary folder; their tfjs-core import resolves from here.
      nodePaths: [join(ROOT, 'node_modules')],
    });
    copyFileSync(join(ROOT, 'web/index.html'), join(out, 'index.html'));
    return networks;
  } finally {
    rmSync(modelsDir, { recursive: true, force: true });
  }
}

/** Every .gnet file under specs/, by the absolute path the page gives it (`/specs/unet.gnet`). */
function bundledSpecs() {
  const specs = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.gnet')) specs[`/${relative(ROOT, path).split('\\').join('/')}`] = readFileSync(path, 'utf8');
    }
  };
  walk(join(ROOT, 'specs'));
  return specs;
}

/** Node built-ins the training worker's bundle reaches but never calls in a page (ts-morph's real file system, the Node-only loaders). */
const UNUSED_IN_PAGE = /^(node:)?(fs|fs\/promises|os|url|crypto|module)$|^tinyglobby$/;

/**
 * What the playground bundles differently from Node: the specs as a module, node:path as
 * path-browserify (the compiler resolves imports with it, ts-morph works on an in-memory file
 * system), empty modules for the Node built-ins only Node code paths call, and no cli-table3 (only
 * the terminal renderers draw tables; the page draws its own).
 */
function playgroundModules() {
  return {
    name: 'gnet-playground-modules',
    setup(b) {
      b.onResolve({ filter: /^gnet:examples$/ }, () => ({ path: 'examples', namespace: 'gnet-examples' }));
      b.onLoad({ filter: /.*/, namespace: 'gnet-examples' }, () => ({ contents: `export const EXAMPLES = ${JSON.stringify(bundledSpecs())};`, loader: 'js' }));
      b.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: require.resolve('path-browserify') }));
      b.onResolve({ filter: UNUSED_IN_PAGE }, (args) => ({ path: args.path, namespace: 'gnet-node-only' }));
      b.onLoad({ filter: /.*/, namespace: 'gnet-node-only' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      b.onResolve({ filter: /^cli-table3$/ }, () => ({ path: 'cli-table3', namespace: 'gnet-no-table' }));
      b.onLoad({ filter: /.*/, namespace: 'gnet-no-table' }, () => ({
        contents: "export default class Table { constructor() { throw new Error('terminal tables are not part of the playground'); } }",
        loader: 'js',
      }));
    },
  };
}

/** Builds the playground (index.html, playground.css, main.js, the compiler and training workers, tfjs' wasm files) into `out`. */
export async function buildPlayground({ out = join(ROOT, 'web/dist/playground') } = {}) {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: {
      main: join(ROOT, 'web/playground/main.ts'),
      'compile-worker': join(ROOT, 'web/playground/compile-worker.ts'),
      'train-worker': join(ROOT, 'web/playground/train-worker.ts'),
    },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // No source maps: the training worker's (TypeScript itself, for code generation) alone would be 25 MB.
    sourcemap: false,
    logLevel: 'error',
    plugins: [playgroundModules()],
  });
  for (const file of ['index.html', 'playground.css']) copyFileSync(join(ROOT, 'web/playground', file), join(out, file));
  // The wasm backend (used where WebGPU is missing) loads these beside the worker.
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join(out, file));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { spec: { type: 'string' }, out: { type: 'string' }, playground: { type: 'boolean' } } });
  if (values.playground) {
    const out = await buildPlayground({ out: values.out && resolve(values.out) });
    process.stdout.write(`built ${relative(process.cwd(), out) || '.'}/index.html (the playground)\n`);
    process.exit(0);
  }
  const networks = await buildWeb({ spec: values.spec, out: values.out && resolve(values.out) });
  process.stdout.write(`built ${values.out ?? 'web/dist'}/index.html with ${networks.join(', ')}\n`);
}
