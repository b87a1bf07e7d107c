/**
 * The text of an sbatch script: `#SBATCH` lines, then shell lines. Pure, so what gnet submits can be
 * read (it is kept beside the work) and tested without a cluster.
 */
export interface BatchScript {
  /** Comment lines saying what the script is and who wrote it. */
  readonly about: readonly string[];
  /** sbatch options, one word each (`--array=0-3%2`, `--partition=gpu`). */
  readonly options: readonly string[];
  /** Shell lines run in the job. */
  readonly body: readonly string[];
}

export function batchScript(script: BatchScript): string {
  return [
    '#!/bin/bash',
    ...script.options.map((o) => `#SBATCH ${o}`),
    ...script.about.map((line) => `# ${line}`),
    'set -u',
    ...script.body,
    '',
  ].join('\n');
}

/** One word for the shell: as it is when that is safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_/.:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const commandLine = (words: readonly string[]): string => words.map(shellQuote).join(' ');
