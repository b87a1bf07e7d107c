/** Code generation: IR → standalone TypeScript modules for the TensorFlow.js runtime. */
export { generateModule, DEFAULT_RUNTIME_MODULE, type GenerateOptions } from './generate.js';
export { transpileModule } from './transpile.js';
