/**
 * The README.md written beside a graph or ONNX export: what the inputs and outputs are (names,
 * layout, value range, activation) and how to load the model with no gnet code.
 */
import type { OutputInfo } from '../train/model.js';
import type { TracedGraph } from './trace.js';

const dims = (shape: readonly number[]) => `[${shape.map((d) => (d === -1 ? 'batch' : d)).join(', ')}]`;

const LOADING = {
  graph: [
    '```js',
    "import * as tf from '@tensorflow/tfjs';",
    "const model = await tf.loadGraphModel('https://…/model.json'); // or a tf.io handler (tf.io.fileSystem with tfjs-node)",
    'const scores = model.predict(images); // images: float32 NHWC in [0, 1]; several outputs come back as an array',
    '```',
  ],
  onnx: [
    '```js',
    "import * as ort from 'onnxruntime-node'; // or onnxruntime-web; in Python: onnxruntime.InferenceSession",
    "const session = await ort.InferenceSession.create('model.onnx');",
    "const outputs = await session.run({ image: new ort.Tensor('float32', pixels, [1, height, width, channels]) });",
    '```',
  ],
} as const;

export function exportReadme(format: 'graph' | 'onnx', graph: TracedGraph, outputs: readonly OutputInfo[]): string {
  const activation = new Map(outputs.map((o) => [o.name, o.activation]));
  const what = format === 'graph' ? 'a TensorFlow.js graph model (model.json + weights.bin) for `tf.loadGraphModel`' : 'an ONNX model (model.onnx, opset 17)';
  return [
    `# ${graph.network}`,
    '',
    `Exported by \`gnet export --format ${format}\`: ${what}.`,
    '',
    'Gauss layers are frozen into the plain convolutions their trained kernels form; batch norm uses its',
    'moving statistics; dropout and feature random enhancement are off (inference). The predictions equal',
    '`gnet predict` on the same run.',
    '',
    'Layout: **NHWC** (batch, height, width, channels), as gnet\'s tensors, for inputs and outputs alike; the',
    'batch size is free. Images are float32 in [0, 1] (pixel / 255), padded with zeros to the input size.',
    '',
    '| tensor | name | shape | |',
    '|---|---|---|---|',
    ...graph.inputs.map((i) => `| input | \`${i.name}\` | ${dims(graph.values[i.value]!.shape)} | |`),
    ...graph.outputs.map((o) => `| output | \`${o.name}\` | ${dims(graph.values[o.value]!.shape)} | ${activation.get(o.name) === 'none' ? 'raw scores' : `after ${activation.get(o.name)}`} |`),
    '',
    ...LOADING[format],
    '',
  ].join('\n');
}
