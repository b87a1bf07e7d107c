/**
 * The IR facts the trainer needs besides the generated module: how each output is activated and
 * where the gauss layers are. Free of Node imports, so the playground's training worker bundles it.
 */
import type { Analysis } from '../compiler/analysis/index.js';
import { bool, num, pair, str } from '../compiler/blocks/attr.js';
import { spatialOf } from '../compiler/blocks/feature-map.js';
import { gaussLowering, gaussWindow } from '../compiler/blocks/gauss-lowering.js';
import { appliedPadding } from '../compiler/blocks/window.js';
import type { IRGraph, IRNode } from '../compiler/ir/ir.js';
import type { Gauss3dConfig, GaussConfig } from '../runtime/gauss/config.js';
import type { Activation, GaussLayerInfo, ModelInfo } from '../runtime/train/model.js';

const ACTIVATIONS: Readonly<Record<string, Activation>> = { softmax: 'softmax', sigmoid: 'sigmoid' };

export function modelInfo(graph: IRGraph, analysis: Analysis): ModelInfo {
  const shapeOf = (id: number) => analysis.rows[id]!.shape!;
  return {
    outputs: graph.outputs.map((o) => ({ name: o.name, shape: shapeOf(o.node), activation: ACTIVATIONS[graph.nodes[o.node]!.op] ?? 'none' })),
    gaussLayers: graph.nodes.filter((n) => n.op === 'gauss' && analysis.rows[n.id]!.sharedWith === undefined).map((n) => gaussLayer(n, shapeOf(n.inputs[0]!))),
  };
}

function gaussLayer(node: IRNode, input: readonly number[]): GaussLayerInfo {
  const { attrs } = node;
  const padding = attrs.padding;
  const spatial = spatialOf(input);
  if (spatial.length === 3) return { node: node.name, weightPrefix: node.weights, config: volumeConfig(node, input), bias: bool(attrs, 'bias') };
  const config: GaussConfig = {
    order: num(attrs, 'order'),
    bases: num(attrs, 'bases'),
    size: pair(attrs, 'size'),
    stride: pair(attrs, 'stride'),
    padding: padding === 'same' || padding === 'valid' ? padding : pair(attrs, 'padding'),
    mix: str(attrs, 'mix'),
    isotropic: bool(attrs, 'isotropic'),
    lowering: gaussLowering(input, attrs).lowering as GaussConfig['lowering'],
  };
  return { node: node.name, weightPrefix: node.weights, config, bias: bool(attrs, 'bias') };
}


/** The volume layer's runtime configuration, as its emitted call passes it (padding applied before 'valid'). */
function volumeConfig(node: IRNode, input: readonly number[]): Gauss3dConfig {
  const { attrs } = node;
  const window = gaussWindow(attrs, 3);
  const triple = (values: readonly number[]) => [values[0]!, values[1]!, values[2]!] as const;
  return {
    order: num(attrs, 'order'),
    bases: num(attrs, 'bases'),
    size: triple(window.kernel),
    stride: triple(window.stride),
    padding: appliedPadding(spatialOf(input), window),
    mix: str(attrs, 'mix'),
    isotropic: bool(attrs, 'isotropic'),
    lowering: gaussLowering(input, attrs).lowering,
  };
}
