import type { ExperimentResults } from './collect.js';
import { columnLink, macsText, paramsText, runText, secondsText, sizeHeading, summaryText } from './cell-text.js';

/**
 * results.md: the summary table (mean ± sample std over seeds, the best mean per column in bold,
 * parameters and multiply-adds beside it), then every run with a link to its run directory.
 */
export function resultsMarkdown(results: ExperimentResults, title = 'Experiment'): string {
  const { metric, trainSizes } = results;
  const lines = [`# ${title}`, '', `${metric} on the test split, mean ± sample standard deviation over ${results.seeds} seed${results.seeds === 1 ? '' : 's'} (${results.backend} backend); best mean per column in bold.`, ''];
  lines.push(row(['network', 'trainable params', 'multiply-adds', ...trainSizes.map(sizeHeading)]));
  lines.push(row(['---', '---:', '---:', ...trainSizes.map(() => '---:')]));
  for (const net of results.networks) {
    // A mean links to the folder of its seeds' run directories.
    const cells = net.cells.map((c) => {
      const linked = `[${escape(summaryText(c))}](${columnLink(net.name, c.size)})`;
      return c.best ? `**${linked}**` : linked;
    });
    lines.push(row([net.name, paramsText(net.trainable), macsText(net.macs), ...cells]));
  }
  lines.push('', '## Runs', '', 'Each value links to its run directory; each mean above, to the folder of its seeds.', '');
  lines.push(row(['network', 'training images', 'seed', metric, 'training time', 'test time']));
  lines.push(row(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const net of results.networks) {
    for (const cell of net.cells) {
      for (const run of cell.runs) {
        const size = cell.size === 'all' ? `all${run.trainImages === null ? '' : ` (${run.trainImages})`}` : String(cell.size);
        lines.push(row([net.name, size, String(run.seed), `[${escape(runText(run))}](${run.link}/)`, secondsText(run.trainSeconds), secondsText(run.evalSeconds)]));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
