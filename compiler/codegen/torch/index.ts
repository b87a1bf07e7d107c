/** Code generation for the PyTorch target: IR → standalone Python modules over the gnet_torch runtime package. */
export { generateTorch, type TorchModule } from './generate.js';
