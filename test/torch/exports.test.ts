/**
 * Every network of every spec in specs/ (made small as zoo.ts does; the largest in exports-large) and
 * the fixtures that together use every block and gauss lowering: torch.jit.script, torch.jit.trace,
 * torch.onnx.export (run by onnxruntime) and deploy() compute what the module computes, and the
 * deployed module's TorchScript loads and runs without gnet's code.
 */
import { join } from 'node:path';
import { compileFile, REPO } from '../codegen/helpers.js';
import { exportTests } from './exports.js';
import { LARGE_EXPORTS, smallNetwork, zooNames } from './zoo.js';

const fixtures = ['test/torch/fixtures/coverage.gnet', 'test/codegen/fixtures/blocks.gnet'].flatMap((file) => compileFile(join(REPO, file)).networks);
const zoo = zooNames().filter((e) => !LARGE_EXPORTS.has(e.name)).map((e) => smallNetwork(e.file, e.name));
exportTests('test/torch/exports.test.ts', [...fixtures, ...zoo]);
