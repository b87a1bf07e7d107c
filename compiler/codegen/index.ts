/** Code generation: IR → standalone TypeScript modules for the TensorFlow.js runtime, or Python modules for PyTorch. */
export { generateModule, DEFAULT_RUNTIME_MODULE, type GenerateOptions } from './generate.js';
export { transpileModule } from './transpile.js';
export { generateTorch, type TorchModule } from './torch/index.js';
