/**
 * Structural validity of an IRGraph, checked apart from the passes (tinygrad's spec.py): tests run it
 * after every pass. Problems here are compiler bugs, so they come back as plain strings.
 */
import type { IRGraph, IRNode } from '../ir/ir.js';
import { blockOf } from './lookup.js';

export function verifyIR(graph: IRGraph): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  graph.nodes.forEach((node, index) => {
    const where = `node ${index} '${node.name}'`;
    if (node.id !== index) problems.push(`${where}: id ${node.id} differs from its index`);
    if (names.has(node.name)) problems.push(`${where}: duplicate name`);
    names.add(node.name);
    for (const input of node.inputs) {
      if (!Number.isInteger(input) || input < 0 || input >= index) {
        problems.push(`${where}: input ${input} is not an earlier node (nodes must be in topological order)`);
      }
    }
    problems.push(...nodeProblems(node).map((p) => `${where}: ${p}`));
  });
  problems.push(...endpointProblems(graph));
  return problems;
}

function nodeProblems(node: IRNode): string[] {
  if (node.op === 'input') return node.inputs.length === 0 ? [] : ['an input node takes no inputs'];
  const def = blockOf(node.op);
  if (!def) return [`unknown op '${node.op}'`];
  const problems: string[] = [];
  const { min, max } = def.inputs;
  if (node.inputs.length < min || node.inputs.length > max) {
    problems.push(`${node.op} takes ${min}..${max} inputs, has ${node.inputs.length}`);
  }
  const attributes = Object.entries(def.args).filter(([, spec]) => spec.type !== 'value');
  for (const [name] of attributes) if (!Object.hasOwn(node.attrs, name)) problems.push(`attribute '${name}' missing`);
  const known = new Set(attributes.map(([name]) => name));
  for (const name of Object.keys(node.attrs)) if (!known.has(name)) problems.push(`attribute '${name}' is not in the ${node.op} schema`);
  return problems;
}

function endpointProblems(graph: IRGraph): string[] {
  const problems: string[] = [];
  const declared = new Set(graph.inputs.map((i) => i.node));
  for (const input of graph.inputs) {
    if (graph.nodes[input.node]?.op !== 'input') problems.push(`input '${input.name}' refers to node ${input.node}, not an input node`);
  }
  for (const node of graph.nodes) {
    if (node.op === 'input' && !declared.has(node.id)) problems.push(`input node ${node.id} '${node.name}' is not listed in graph.inputs`);
  }
  for (const output of graph.outputs) {
    if (!graph.nodes[output.node]) problems.push(`output '${output.name}' refers to missing node ${output.node}`);
  }
  return problems;
}
