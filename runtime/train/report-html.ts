import type { TrainConfig } from './config.js';
import type { KernelImage } from './kernels-png.js';
import type { EpochRecord } from './log.js';
import type { Panel } from './panels.js';
import { escapeXml, linePlot, type Series } from './svg-plot.js';

/**
 * report.html: one self-contained page (inline CSS, SVG plots, PNGs as data URLs) that opens offline:
 * loss and metric curves, the parameter and budget table, the learned gauss kernels of each layer and,
 * for segmentation, input / truth / prediction panels.
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
  readonly history: readonly EpochRecord[];
  readonly params: ParamTable | null;
  readonly kernels: readonly KernelImage[];
  readonly panels: readonly Panel[];
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;white-space:pre}
.plots{display:flex;flex-wrap:wrap;gap:1em}.kernel img,.panel img{image-rendering:pixelated;border:1px solid #ccc}
.panel{display:flex;gap:.5em;margin:.5em 0}.panel figure{margin:0}.panel figcaption{font-size:.8em;color:#666}
.muted{color:#666}`;

export function renderReport(input: ReportInput): string {
  const esc = escapeXml;
  const last = input.history.at(-1);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gnet run: ${esc(input.network)}</title><style>${STYLE}</style></head>
<body>
<h1>Training report: ${esc(input.network)}</h1>
<p class="muted">${esc(input.specFile)} · data ${esc(input.dataSource)} · ${esc(input.status)} after ${input.history.length} of ${input.config.epochs} epochs${last ? ` (${last.step} steps)` : ''}</p>
${configTable(input.config)}
<h2>Curves</h2>
<div class="plots">${curves(input.history).join('\n')}</div>
${input.params ? paramSection(input.params) : ''}
${input.kernels.length ? `<h2>Learned gauss kernels</h2>\n${input.kernels.map(kernelFigure).join('\n')}` : ''}
${input.panels.length ? `<h2>Validation samples: input, truth, prediction</h2>\n${input.panels.map(panelRow).join('\n')}` : ''}
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
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table>`;
}

/** Loss, each scalar metric (training and validation) and the learning rate, per epoch. */
export function curves(history: readonly EpochRecord[]): string[] {
  const series = (name: string, pick: (r: EpochRecord) => unknown): Series => ({
    name,
    points: history.map((r) => [r.epoch, typeof pick(r) === 'number' ? (pick(r) as number) : null] as const),
  });
  const scalarMetrics = [...new Set(history.flatMap((r) => Object.entries(r.metrics).filter(([, v]) => typeof v === 'number').map(([k]) => k)))];
  return [
    linePlot({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', series: [series('training', (r) => r.loss), series('validation', (r) => r.validation?.loss)] }),
    ...scalarMetrics.map((m) =>
      linePlot({ title: m, xLabel: 'epoch', yLabel: m, series: [series('training', (r) => r.metrics[m as keyof typeof r.metrics]), series('validation', (r) => r.validation?.metrics[m as keyof typeof r.metrics])] }),
    ),
    linePlot({ title: 'Learning rate', xLabel: 'epoch', yLabel: 'lr', series: [series('lr (last step)', (r) => r.lr)] }),
  ];
}

function paramSection(table: ParamTable): string {
  const row = (cells: readonly string[], tag: 'td' | 'th') => `<tr>${cells.map((c) => `<${tag}>${escapeXml(c)}</${tag}>`).join('')}</tr>`;
  return `<h2>Parameters and budgets</h2>
<table>${row(table.headers, 'th')}${table.rows.map((r) => row(r, 'td')).join('')}${row(table.total, 'th')}</table>
<ul>${table.summary.map((line) => `<li>${escapeXml(line)}</li>`).join('')}</ul>`;
}

function kernelFigure(image: KernelImage): string {
  return `<figure class="kernel"><figcaption>${escapeXml(image.layer)}: ${image.bases} bases × ${image.perBasis} kernels, ${image.size.join('×')}</figcaption><img alt="kernels of ${escapeXml(image.layer)}" src="${image.dataUrl}"></figure>`;
}

function panelRow(panel: Panel, index: number): string {
  const figure = (src: string, caption: string) => `<figure><img alt="${caption} ${index + 1}" src="${src}"><figcaption>${caption}</figcaption></figure>`;
  return `<div class="panel">${figure(panel.input, 'input')}${figure(panel.truth, 'truth')}${figure(panel.prediction, 'prediction')}</div>`;
}
