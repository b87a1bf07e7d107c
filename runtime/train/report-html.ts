import type { TrainConfig } from './config.js';
import type { KernelImage } from './kernels-png.js';
import type { EpochRecord } from './log.js';
import type { Panel } from './panels.js';
import type { ClassificationPredictions, PredictionSample } from './predictions.js';
import { escapeXml, linePlot, type Series } from './svg-plot.js';

/**
 * report.html: one self-contained page (inline CSS, SVG plots, PNGs as data URLs) that opens offline:
 * loss and metric curves, the parameter and budget table, the learned gauss kernels of each layer and,
 * for segmentation, input / truth / prediction panels; for classification, the confusion matrix and
 * labelled sample predictions. It fits a 1 280 px window: wide tables wrap or scroll in their box.
 */

/** The compiler's report table as text cells (built by the CLI from the analysis). */
export interface ParamTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly total: readonly string[];
  /** Totals and budget verdicts, one line each. */
  readonly summary: readonly string[];
}

export interface ReportInput {
  readonly network: string;
  readonly specFile: string;
  readonly status: string;
  readonly config: TrainConfig;
  readonly dataSource: string;
  /** The backend that trained (wasm, webgpu, …). */
  readonly backend: string;
  /** The device it ran on (the GPU adapter for WebGPU), where known. */
  readonly device?: string;
  readonly history: readonly EpochRecord[];
  readonly params: ParamTable | null;
  readonly kernels: readonly KernelImage[];
  readonly panels: readonly Panel[];
  readonly predictions?: ClassificationPredictions | null;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
.scroll{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;white-space:pre;vertical-align:top}
.params td:nth-child(2),.params td:last-child{white-space:normal;min-width:8em}
.plots{display:flex;flex-wrap:wrap;gap:1em}.kernel img,.panel img,.samples img{image-rendering:pixelated;border:1px solid #ccc}
.kernel img{max-width:100%}
.panel{display:flex;flex-wrap:wrap;gap:.5em;margin:.5em 0}.panel figure{margin:0}.panel figcaption{font-size:.8em;color:#666}
.confusion td{text-align:right;min-width:2.5em}.confusion th{white-space:normal;max-width:7em}
.samples{display:flex;flex-wrap:wrap;gap:.75em}.samples figure{margin:0;width:96px;font-size:.75em}
.samples figcaption{line-height:1.3}.wrong{color:#b00020}.right{color:#1b5e20}
.muted{color:#666}`;

export function renderReport(input: ReportInput): string {
  const esc = escapeXml;
  const last = input.history.at(-1);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gnet run: ${esc(input.network)}</title><style>${STYLE}</style></head>
<body>
<h1>Training report: ${esc(input.network)}</h1>
<p class="muted">${esc(input.specFile)} · data ${esc(input.dataSource)} · ${esc(input.status)} after ${input.history.length} of ${input.config.epochs} epochs${last ? ` (${last.step} steps)` : ''}</p>
<p id="backend">backend <b>${esc(input.backend)}</b>${input.device ? ` on ${esc(input.device)}` : ''}</p>
${configTable(input.config)}
<h2>Curves</h2>
<div class="plots">${curves(input.history).join('\n')}</div>
${input.params ? paramSection(input.params) : ''}
${input.kernels.length ? `<h2>Learned gauss kernels</h2>\n${input.kernels.map(kernelFigure).join('\n')}` : ''}
${input.panels.length ? `<h2>Validation samples: input, truth, prediction</h2>\n${input.panels.map(panelRow).join('\n')}` : ''}
${input.predictions ? predictionSection(input.predictions) : ''}
</body></html>
`;
}

function configTable(config: TrainConfig): string {
  const { optimizer, schedule } = config;
  const rows: [string, string][] = [
    ['loss', config.loss.map((t) => `${t.weight === 1 ? '' : `${t.weight} × `}${t.kind}${t.output ? ` on ${t.output}` : ''}`).join(' + ')],
    ['optimizer', `${optimizer.name} (${Object.entries(optimizer).filter(([k]) => k !== 'name').map(([k, v]) => `${k} ${v}`).join(', ')})`],
    ['schedule', Object.entries(schedule).map(([k, v]) => (k === 'kind' ? String(v) : `${k} ${v ?? 'whole run'}`)).join(', ')],
    ['epochs × batch', `${config.epochs} × ${config.batch}`],
    ['seed', String(config.seed)],
    ['regularisation', `weight decay ${config.weightDecay}, clip norm ${config.clipNorm ?? '–'}, clip value ${config.clipValue ?? '–'}`],
  ];
  return `<div class="scroll"><table>${rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table></div>`;
}

/** Loss, each scalar metric (training and validation) and the learning rate, per epoch. */
export function curves(history: readonly EpochRecord[]): string[] {
  const series = (name: string, pick: (r: EpochRecord) => unknown): Series => ({
    name,
    points: history.map((r) => [r.epoch, typeof pick(r) === 'number' ? (pick(r) as number) : null] as const),
  });
  const plot = (title: string, yLabel: string, lines: Series[]) => linePlot({ title, xLabel: 'epoch', yLabel, series: lines, integerX: true });
  const scalarMetrics = [...new Set(history.flatMap((r) => Object.entries(r.metrics).filter(([, v]) => typeof v === 'number').map(([k]) => k)))];
  return [
    plot('Loss', 'loss', [series('training', (r) => r.loss), series('validation', (r) => r.validation?.loss)]),
    ...scalarMetrics.map((m) => plot(m, m, [series('training', (r) => r.metrics[m as keyof typeof r.metrics]), series('validation', (r) => r.validation?.metrics[m as keyof typeof r.metrics])])),
    plot('Learning rate', 'lr', [series('lr (last step)', (r) => r.lr)]),
  ];
}

function paramSection(table: ParamTable): string {
  const row = (cells: readonly string[], tag: 'td' | 'th') => `<tr>${cells.map((c) => `<${tag}>${escapeXml(c)}</${tag}>`).join('')}</tr>`;
  return `<h2>Parameters and budgets</h2>
<div class="scroll"><table class="params">${row(table.headers, 'th')}${table.rows.map((r) => row(r, 'td')).join('')}${row(table.total, 'th')}</table></div>
<ul>${table.summary.map((line) => `<li>${escapeXml(line)}</li>`).join('')}</ul>`;
}

function kernelFigure(image: KernelImage): string {
  return `<figure class="kernel"><figcaption>${escapeXml(image.layer)}: ${image.bases} bases × ${image.perBasis} kernels, ${image.size.join('×')}</figcaption><img alt="kernels of ${escapeXml(image.layer)}" src="${image.dataUrl}"></figure>`;
}

function panelRow(panel: Panel, index: number): string {
  const figure = (src: string, caption: string) => `<figure><img alt="${caption} ${index + 1}" src="${src}"><figcaption>${caption}</figcaption></figure>`;
  return `<div class="panel">${figure(panel.input, 'input')}${figure(panel.truth, 'truth')}${figure(panel.prediction, 'prediction')}</div>`;
}

/** The confusion matrix (cells shaded by their share of the true class's row) and labelled samples. */
function predictionSection(predictions: ClassificationPredictions): string {
  const { classNames, confusion, images, split, samples } = predictions;
  const { classes, counts } = confusion;
  const esc = escapeXml;
  const rows = classNames.map((name, t) => {
    const total = counts.slice(t * classes, (t + 1) * classes).reduce((a, b) => a + b, 0);
    const cells = classNames.map((_, p) => {
      const count = counts[t * classes + p]!;
      const share = total === 0 ? 0 : count / total;
      const hue = t === p ? '27,94,32' : '176,0,32';
      return `<td style="background:rgba(${hue},${(share * 0.6).toFixed(2)})" title="true ${esc(name)}, predicted ${esc(classNames[p]!)}: ${count}">${count}</td>`;
    });
    return `<tr><th>${esc(name)}</th>${cells.join('')}<td class="muted">${total}</td></tr>`;
  });
  const correct = classNames.reduce((sum, _, c) => sum + counts[c * classes + c]!, 0);
  return `<h2 id="predictions">Predictions</h2>
<p>Confusion matrix over ${images} ${esc(split)} images (rows: true class, columns: predicted); ${correct} correct (${images === 0 ? '–' : ((100 * correct) / images).toFixed(1)} %).</p>
<div class="scroll"><table class="confusion"><tr><th>true ↓ predicted →</th>${classNames.map((n) => `<th>${esc(n)}</th>`).join('')}<th>images</th></tr>${rows.join('')}</table></div>
<h3>Sample predictions</h3>
<div class="samples">${samples.map((s, i) => sampleFigure(s, i, classNames)).join('')}</div>`;
}

function sampleFigure(sample: PredictionSample, index: number, classNames: readonly string[]): string {
  const right = sample.predicted === sample.truth;
  const predicted = escapeXml(classNames[sample.predicted] ?? String(sample.predicted));
  const probability = sample.probability === null ? '' : ` (${(100 * sample.probability).toFixed(0)} %)`;
  return `<figure class="sample"><img alt="sample ${index + 1}" src="${sample.image}"><figcaption><span class="${right ? 'right' : 'wrong'}">predicted ${predicted}${probability}</span><br>true ${escapeXml(classNames[sample.truth] ?? String(sample.truth))}</figcaption></figure>`;
}
