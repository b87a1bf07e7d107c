import { validInputSizes } from '../../compiler/analysis/index.js';
import { loadSpecs, printDiagnostics } from '../load.js';

export interface SizesOptions {
  readonly near: number;
  readonly network?: string;
  readonly param?: Map<string, number | string>;
}

/** `gnet sizes FILE --near N`: nearest input sizes below and above N that pass every shape rule. */
export async function sizes(file: string, options: SizesOptions): Promise<number> {
  const loaded = loadSpecs([file], { network: options.network, params: options.param });
  if (loaded.failed) {
    printDiagnostics(loaded);
    return 1;
  }
  for (const graph of loaded.programs[0]!.graphs) {
    const found = validInputSizes(graph, options.near);
    if (!found) {
      process.stdout.write(`${graph.name}: its first input is not an image (H x W x C) or a volume (D x H x W x C); nothing to solve\n`);
      continue;
    }
    const fmt = (s: readonly number[] | null) => (s ? s.join('×') : 'none within reach');
    process.stdout.write(
      `${graph.name} (input ${found.input}): ${fmt(found.requested)} ${found.fits ? 'fits' : 'does not fit'}; ` +
        `nearest below: ${fmt(found.below)}, nearest above: ${fmt(found.above)}\n`,
    );
  }
  return 0;
}
