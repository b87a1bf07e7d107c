import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core's Node bundle ships no gradient functions (the @tensorflow/tfjs umbrella package
 * registers them), and Node cannot load tfjs-core's own ESM gradient files because their imports
 * omit the `.js` extension. gnet's bundle (scripts/build.mjs) carries them as one file; run from
 * the sources, GNET_TFJS_GRADIENTS (a file URL) may name that file, else this resolve hook adds the
 * extension for imports made inside tfjs-core/dist, then registerGradients() loads
 * dist/register_all_gradients.js. Either way the tensors those gradient functions create live in
 * the one global engine.
 */
const EXTENSION_HOOK = `
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  const inCore = parent.includes('/@tensorflow/tfjs-core/dist/');
  if (!inCore || !specifier.startsWith('.') || specifier.endsWith('.js')) return next(specifier, context);
  const asFile = new URL(specifier + '.js', parent);
  const target = existsSync(fileURLToPath(asFile)) ? asFile : new URL(specifier + '/index.js', parent);
  return next(target.href, context);
}`;

/** Set by scripts/build.mjs: the bundle resolved the gradient files itself. */
declare const GNET_BUNDLED_GRADIENTS: boolean | undefined;

let registration: Promise<void> | undefined;

/** Makes tf.grads / optimisers work; a no-op when something (a bundler, @tensorflow/tfjs) already registered them. */
export function registerGradients(): Promise<void> {
  registration ??= loadGradients();
  return registration;
}

async function loadGradients(): Promise<void> {
  if (tf.getGradient('Sum') !== undefined) return;
  // Bundlers resolve the extensionless imports themselves; only Node on the sources needs more.
  const bundled = typeof GNET_BUNDLED_GRADIENTS !== 'undefined' && GNET_BUNDLED_GRADIENTS;
  if (!bundled && typeof globalThis.process?.versions?.node === 'string') {
    // A bundled copy where one is named (the test runner names dist/tfjs-gradients.js): the hook
    // loads some 450 files through a loader thread, about 2 CPU-seconds, where one file takes 0.1.
    const prebuilt = globalThis.process.env.GNET_TFJS_GRADIENTS;
    if (prebuilt) {
      await import(prebuilt);
      return;
    }
    await installExtensionHook();
  }
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
}

/** A specifier in a variable keeps browser bundlers from trying to resolve a Node built-in. */
const NODE_MODULE = 'node:module';

async function installExtensionHook(): Promise<void> {
  const { register } = (await import(NODE_MODULE)) as typeof import('node:module');
  register(`data:text/javascript,${encodeURIComponent(EXTENSION_HOOK)}`);
}
