/**
 * Networks on volumes (every 3-D block, every 3-D gauss lowering): torch.jit.script, torch.jit.trace,
 * torch.onnx.export and deploy() (gauss layers frozen into nn.Conv3d) compute what the module computes.
 */
import { join } from 'node:path';
import { compileFile, REPO } from '../codegen/helpers.js';
import { exportTests } from './exports.js';

const fixtures = ['test/codegen/fixtures/volumes.gnet', 'test/torch/fixtures/volumes-gauss.gnet'].flatMap((file) => compileFile(join(REPO, file)).networks);
exportTests('test/torch/exports-volumes.test.ts', fixtures);
