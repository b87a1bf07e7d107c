/** Network parameters of zoo specs, overridden as `gnet report --param name=value` does. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph, type Analysis } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { compileProgram } from '../../compiler/program.js';
import { SPECS_DIR, describe, valueShape } from './compile.js';
import { unet } from './expected-segmentation.js';
import { dense } from './params.js';

function compileWith(file: string, name: string, params: Record<string, number>): { analysis: Analysis; diagnostics: Diagnostic[] } {
  const readFile = (path: string) => readFileSync(path, 'utf8');
  const program = compileProgram(join(SPECS_DIR, file), { readFile }, { network: name, params: new Map(Object.entries(params)) });
  const diagnostics = [...program.diagnostics];
  const analysis = analyzeGraph(program.graphs[0]!, {}, (d) => diagnostics.push(d));
  return { analysis, diagnostics };
}

test('U-Net base width: base 16 has the count of the 16-wide U-Net and the same 388×388 output', () => {
  const { analysis, diagnostics } = compileWith('unet.gnet', 'UNet', { base: 16 });
  assert.equal(describe(diagnostics), []);
  assert.is(analysis.totals.trainable, unet(16));
  assert.equal(valueShape(analysis, 'segmentation'), [388, 388, 2]);
});

test('same-padded U-Net: any multiple of 16 is a valid input size', () => {
  const { analysis, diagnostics } = compileWith('unet.gnet', 'UNetSame', { size: 256 });
  assert.equal(describe(diagnostics), []);
  assert.equal(valueShape(analysis, 'segmentation'), [256, 256, 2]);
});

test('same-padded U-Net: 500 is not a multiple of 16, and a pool says so', () => {
  const { diagnostics } = compileWith('unet.gnet', 'UNetSame', { size: 500 });
  assert.ok(diagnostics.length > 0);
  assert.ok(diagnostics.every((d) => d.code === 'GN0304'), describe(diagnostics).join('\n'));
});

test('ResNet-18 for 10 classes: only the classifier changes', () => {
  const { analysis, diagnostics } = compileWith('resnet18.gnet', 'ResNet18', { classes: 10 });
  assert.equal(describe(diagnostics), []);
  assert.is(analysis.totals.trainable, 11_689_512 - dense(512, 1000) + dense(512, 10));
});

test.run();
