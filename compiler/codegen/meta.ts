/**
 * The `meta` export: everything a trainer or a report needs about the network as plain data —
 * inputs, outputs, weights (shared ones once) with their initialisers, parameter totals, the training
 * section and the source map from forward() statements back to the .gnet sources.
 */
import type { CodeBlockWriter, WriterFunction } from 'ts-morph';
import type { Analysis } from '../analysis/index.js';
import { weightDecays } from '../blocks/block.js';
import type { IRGraph } from '../ir/ir.js';
import { docComment, literal, type Data } from './literal.js';
import { weightName, type NodePlan } from './plan.js';
import type { SourceLocation } from './source-location.js';

/** Property of each source-map entry holding the generated line; written as 0, filled in once the module is printed. */
export const GENERATED_LINE = 'generatedLine';

const location = (at: SourceLocation): Data => ({ file: at.file, line: at.line, column: at.column });

function weightEntries(plans: readonly NodePlan[]): Data[] {
  return plans
    .filter((plan) => plan.ownsWeights)
    .flatMap((plan) =>
      plan.weights.map((spec) => ({
        name: weightName(plan.node, spec),
        shape: spec.shape,
        trainable: spec.trainable,
        init: spec.init,
        minValue: spec.minValue,
        decays: weightDecays(spec),
        block: plan.node.name,
        source: location(plan.source),
      })),
    );
}

function sourceMapEntries(plans: readonly NodePlan[]): Data[] {
  return plans.map(({ node, source }) => ({ [GENERATED_LINE]: 0, node: node.name, file: source.file, line: source.line, column: source.column }));
}

/** A list with one element per line. */
function writeList(writer: CodeBlockWriter, items: readonly Data[]): void {
  if (items.length === 0) {
    writer.write('[]');
    return;
  }
  writer.write('[').newLine();
  writer.indent(() => items.forEach((item) => writer.writeLine(`${literal(item)},`)));
  writer.write(']');
}

/** `export const meta = { … } as const` (as const so the initialisers keep their literal kinds). */
export function metaStatement(graph: IRGraph, analysis: Analysis, plans: readonly NodePlan[], sourceFile: string): WriterFunction {
  const shapeOf = (id: number) => plans[id]!.shape;
  const { trainable, nonTrainable } = analysis.totals;
  const members: [string, string | readonly Data[]][] = [
    ['network', literal(graph.name)],
    ['doc', literal(graph.doc)],
    ['source', literal(sourceFile)],
    ['inputs', graph.inputs.map((i) => ({ name: i.name, shape: i.shape }))],
    ['outputs', graph.outputs.map((o) => ({ name: o.name, shape: shapeOf(o.node) }))],
    ['weights', weightEntries(plans)],
    ['params', literal({ trainable, nonTrainable, total: trainable + nonTrainable })],
    ['training', literal(graph.training as Data)],
    ['sourceMap', sourceMapEntries(plans)],
  ];
  // A statement-level writer: ts-morph re-indents multi-line initialisers written through structures.
  return (writer) => {
    writer.write(docComment('The network as data: inputs, outputs, weights and their initialisers, totals, training section, source map.'));
    writer.write('export const meta = ').inlineBlock(() => {
      for (const [key, value] of members) {
        writer.write(`${key}: `);
        if (typeof value === 'string') writer.write(value);
        else writeList(writer, value);
        writer.write(',').newLine();
      }
    });
    writer.write(' as const;');
  };
}
