/**
 * The network graph of the playground's graph view (compiler/report/graph.ts): boxes at a depth of
 * the block hierarchy, the values between them with their shapes, skips, and the spec line of each
 * box, checked against the spec's text and the IR itself.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import { compileProgram } from '../../compiler/program.js';
import { graphBoxes, graphDepth, graphNodes, type GraphNode } from '../../compiler/report/graph.js';
import { analyze, unet } from './networks.js';

const specPath = (name: string) => fileURLToPath(new URL(`../../specs/${name}`, import.meta.url));

function specNodes(name: string, network?: string): { nodes: GraphNode[]; text: string } {
  const path = specPath(name);
  const program = compileProgram(path, { readFile: (file) => readFileSync(file, 'utf8') }, { network });
  const analysis = analyzeGraph(program.graphs[0]!, { batch: 1 }, () => {});
  assert.not.ok(hasErrors(program.diagnostics));
  return { nodes: graphNodes(analysis), text: readFileSync(path, 'utf8') };
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const lineOf = (text: string, needle: string) => lineAt(text, text.indexOf(needle));

test('GaussUNet by its top-level values: the U-Net, its two skips, the shapes between and the lines they are written on', () => {
  const { nodes, text } = specNodes('gauss-unet.gnet', 'GaussUNet');
  const boxes = graphBoxes(nodes, 1);
  assert.equal(boxes.map((b) => [b.name, b.kind]), [['image', 'input'], ['e1', 'frame'], ['e2', 'frame'], ['mid', 'frame'], ['d2', 'frame'], ['d1', 'frame'], ['mask', 'output']]);
  const index = (name: string) => boxes.findIndex((b) => b.name === name);
  // What each box reads: the previous box, and for the decoder the encoder's output of the same size.
  assert.equal(boxes.map((b) => b.inputs.map((e) => [boxes[e.from]!.name, e.shape!.join('×')])), [
    [],
    [['image', '128×128×3']],
    [['e1', '128×128×8']],
    [['e2', '64×64×16']],
    [['mid', '32×32×32'], ['e2', '64×64×16']],
    [['d2', '64×64×16'], ['e1', '128×128×8']],
    [['d1', '128×128×8']],
  ]);
  assert.equal(boxes[index('mask')]!.shape, [128, 128, 2]);
  for (const name of ['e1', 'e2', 'mid', 'd2', 'd1']) assert.is(lineAt(text, boxes[index(name)]!.span.start), lineOf(text, `  ${name} = `), `${name} points at its line`);
  assert.is(lineAt(text, boxes[0]!.span.start), lineOf(text, 'input image: 128 x 128 x 3'));
  assert.is(boxes[1]!.ops, '2 gauss, 2 batchnorm, 2 relu');
});

test('a deeper view opens the frames; a block inside a block points at its call in the block that calls it', () => {
  const { nodes, text } = specNodes('gauss-unet.gnet', 'GaussUNet');
  const boxes = graphBoxes(nodes, 2);
  const concat = boxes.find((b) => b.name === 'd2.concat')!;
  assert.equal(concat.inputs.map((e) => boxes[e.from]!.name), ['d2.upsample', 'e2.stage']);
  assert.is(lineAt(text, concat.span.start), lineOf(text, 'upsample(2) -> concat(skip)'), 'a node inside block `up` points into its body');
  assert.is(lineAt(text, boxes.find((b) => b.name === 'e2.stage')!.span.start), lineOf(text, 'e2 = e1 -> maxpool(2) -> stage'), 'a frame points at its call');
});

test('at full depth every IR node is a box and every input an edge', () => {
  const { nodes } = specNodes('resnet18.gnet');
  const deepest = graphDepth(nodes);
  const boxes = graphBoxes(nodes, deepest);
  assert.is(boxes.length, nodes.length);
  assert.equal(boxes.map((b) => b.inputs.map((e) => e.from)), nodes.map((n) => [...new Set(n.inputs)]));
  assert.equal(boxes.map((b) => b.shape), nodes.map((n) => n.shape));
  // ResNet-18's residual adds read a value from before their block's convolutions: skips.
  const skips = boxes.flatMap((b, i) => b.inputs.filter((e) => e.from !== i - 1));
  assert.ok(skips.length >= 8, `${skips.length} skips`);
});

test('the report fixtures: boxes follow the frames, and a folded box reports its last node\'s shape', () => {
  const analysis = analyze(unet());
  const nodes = graphNodes(analysis);
  assert.is(graphDepth(nodes), 3);
  const boxes = graphBoxes(nodes, 1);
  assert.equal(boxes.map((b) => b.name), ['image', 'e1', 'e2', 'd1', 'mask']);
  const e2 = analysis.rows.filter((r) => r.node.path[0] === 'e2');
  assert.equal(boxes[2]!.shape, e2.at(-1)!.shape);
  assert.is(boxes[2]!.nodes, e2.length);
  assert.equal(boxes[3]!.inputs.map((e) => boxes[e.from]!.name), ['e2', 'e1']);
});

test.run();
