/**
 * What the playground's live charts add to the report's plots (runtime/train/svg-plot.ts): epoch
 * markers, an x range beyond the data so far, dots only where they can be told apart, and a
 * description that is the chart's accessible name.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { linePlot } from '../../runtime/train/svg-plot.js';

const steps = (n: number) => Array.from({ length: n }, (_, i) => [i + 1, 1 / (i + 1)] as const);

test('epoch markers are dashed lines at their steps; labels only where they fit', () => {
  const svg = linePlot({ title: 'loss', xLabel: 'step', yLabel: 'loss', width: 400, height: 200, series: [{ name: 'training', points: steps(30) }], markers: [10, 20].map((x, i) => ({ x, label: `epoch ${i + 1}` })), integerX: true });
  const lines = [...svg.matchAll(/<line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)" y2="[\d.]+" stroke="#aaa" stroke-dasharray="3 3"\/>/g)];
  assert.is(lines.length, 2);
  const [ten, twenty] = lines.map((m) => Number(m[1]));
  // The x axis spans 1…30 inside a frame from 64 + 6 to 400 - 16 - 6.
  const sx = (x: number) => 70 + ((x - 1) / 29) * (400 - 16 - 70 - 6);
  assert.ok(Math.abs(ten! - sx(10)) < 0.1 && Math.abs(twenty! - sx(20)) < 0.1, `${ten}, ${twenty}`);
  assert.ok(svg.includes('>epoch 1</text>') && svg.includes('>epoch 2</text>'));
  const crowded = linePlot({ title: 'loss', xLabel: 'step', yLabel: 'loss', width: 300, series: [{ name: 't', points: steps(100) }], markers: Array.from({ length: 19 }, (_, i) => ({ x: (i + 1) * 5, label: `epoch ${i + 1}` })) });
  const labels = [...crowded.matchAll(/>epoch \d+<\/text>/g)].length;
  assert.ok(labels > 0 && labels < 19, `${labels} of 19 labels drawn`);
  assert.is([...crowded.matchAll(/stroke-dasharray/g)].length, 19, 'every marker keeps its line');
});

test('the x range can reach past the data: a run drawn over its planned steps', () => {
  const ticks = (svg: string) => [...svg.matchAll(/text-anchor="middle">(\d+)<\/text>/g)].map((m) => Number(m[1]));
  const planned = linePlot({ title: 'loss', xLabel: 'step', yLabel: 'loss', series: [{ name: 't', points: steps(5) }], xRange: [0, 100], integerX: true });
  assert.equal(ticks(planned), [0, 20, 40, 60, 80, 100]);
});

test('dots mark few points, not hundreds; a lone point is always drawn', () => {
  const dots = (svg: string) => [...svg.matchAll(/<circle /g)].length;
  assert.is(dots(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: steps(10) }] })), 10);
  assert.is(dots(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: steps(200) }] })), 0);
  assert.is(dots(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: steps(200), dots: true }] })), 200);
  assert.is(dots(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[3, 0.5]], dots: false }] })), 1);
});

test('a description becomes the accessible name of an image', () => {
  const svg = linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [], description: 'Loss: 0.3 at step 5 "of" 10' });
  assert.match(svg, /^<svg [^>]* role="img" aria-label="Loss: 0\.3 at step 5 &quot;of&quot; 10">/);
  assert.not.match(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [] }), /role="img"/, 'the report keeps its plain plots');
});

test.run();
