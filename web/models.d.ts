/** The generated modules scripts/build-web.mjs compiles from a spec, by network name. */
declare module 'gnet:models' {
  import type { GeneratedModule } from '../runtime/generated-module.js';
  export const MODELS: Readonly<Record<string, GeneratedModule>>;
}
