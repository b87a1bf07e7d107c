import { escapeXml as esc } from '../train/svg-plot.js';
import type { ExperimentResults } from './collect.js';
import { columnLink, macsText, paramsText, runText, secondsText, sizeHeading, summaryText } from './cell-text.js';
import type { TrainSize } from './request.js';
import { sizePlot } from './size-plot.js';

/** results.html: one offline page with the summary table, the plot of the metric against the size, and every run linked. */
export function resultsHtml(results: ExperimentResults, title = 'Experiment'): string {
  const { metric, trainSizes } = results;
  const summary = results.networks.map((net) => {
    const cells = net.cells.map((c) => {
      const text = `<a href="${esc(columnLink(net.name, c.size))}">${esc(summaryText(c))}</a>`;
      return `<td class="num${c.best ? ' best' : ''}">${c.best ? `<b>${text}</b>` : text}</td>`;
    });
    return `<tr><th>${esc(net.name)}</th><td class="num">${paramsText(net.trainable)}</td><td class="num">${macsText(net.macs)}</td>${cells.join('')}</tr>`;
  });
  const runs = results.networks.flatMap((net) =>
    net.cells.flatMap((cell) =>
      cell.runs.map((run) => {
        const link = run.status === 'complete' ? `${run.link}/report.html` : `${run.link}/`;
        return `<tr><th>${esc(net.name)}</th><td class="num">${cell.size === 'all' ? `all${run.trainImages === null ? '' : ` (${run.trainImages})`}` : cell.size}</td><td class="num">${run.seed}</td><td class="num ${run.status}"><a href="${esc(link)}">${esc(runText(run))}</a></td><td class="num">${secondsText(run.trainSeconds)}</td><td class="num">${secondsText(run.evalSeconds)}</td></tr>`;
      }),
    ),
  );
  const plot = sizePlot({
    title: `${metric} on the test split against training images`,
    yLabel: metric,
    series: results.networks.map((net) => ({ name: net.name, points: net.cells.map((c, i) => [xOf(results, trainSizes[i]!, i), c.mean, c.std] as const) })),
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}: ${esc(metric)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<p>${esc(metric)} on the test split, mean ± sample standard deviation over ${results.seeds} seed${results.seeds === 1 ? '' : 's'} (${esc(results.backend)} backend); the best mean of each column in bold. Written ${esc(results.generatedAt)}.</p>
<table><thead><tr><th>network</th><th>trainable params</th><th>multiply-adds</th>${trainSizes.map((s) => `<th>${esc(sizeHeading(s))}</th>`).join('')}</tr></thead>
<tbody>${summary.join('\n')}</tbody></table>
<figure>${plot}<figcaption>Error bars: ± one standard deviation over the seeds.</figcaption></figure>
<h2>Runs</h2>
<p>Each value links to its run (report.html, or the run directory when it did not finish).</p>
<table><thead><tr><th>network</th><th>training images</th><th>seed</th><th>${esc(metric)}</th><th>training time</th><th>test time</th></tr></thead>
<tbody>${runs.join('\n')}</tbody></table>
</body></html>
`;
}

/** The x of a column: the size, or for `all` the training images its runs drew. */
function xOf(results: ExperimentResults, size: TrainSize, column: number): number {
  if (size !== 'all') return size;
  const drawn = results.networks.flatMap((n) => n.cells[column]!.runs.map((r) => r.trainImages)).find((v): v is number => v !== null);
  return drawn ?? 0;
}

const STYLE = `body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}td.best{background:#eef6ee}td.failed a{color:#b00}td.pending,td.partial,td.running,td.stale{color:#777}figure{margin:1em 0}figcaption{color:#555;font-size:90%}`;
