import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatSource } from '../../compiler/format/index.js';
import { printDiagnostics, relativePath } from '../load.js';

export interface FmtOptions {
  readonly check?: boolean;
  readonly write?: boolean;
  readonly width?: number;
}

/**
 * `gnet fmt FILE…`: one file without flags prints its canonical layout; `--check` lists the files
 * that would change (exit 1 if any); `--write` rewrites them in place (through a temporary file, so
 * an interrupted run never leaves half a spec). A file that does not parse is reported and left alone.
 * Exit 0 fine, 1 files to change or unparsable, 2 usage.
 */
export async function fmt(files: string[], options: FmtOptions): Promise<number> {
  if (options.check && options.write) {
    process.stderr.write('gnet fmt: --check and --write exclude each other\n');
    return 2;
  }
  if (!options.check && !options.write && files.length > 1) {
    process.stderr.write('gnet fmt: several files need --check or --write (without them one file is printed)\n');
    return 2;
  }
  let failed = false;
  const unformatted: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`gnet fmt: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      failed = true;
      continue;
    }
    const result = formatSource(text, { file, width: options.width });
    if (!result.ok) {
      printDiagnostics({ diagnostics: result.diagnostics, sources: new Map([[file, text]]) });
      process.stderr.write(`${relativePath(file)}: not formatted (fix the syntax errors first)\n`);
      failed = true;
      continue;
    }
    if (options.check) {
      if (result.changed) unformatted.push(file);
    } else if (options.write) {
      if (result.changed) {
        try {
          writeAtomically(file, result.text);
          process.stdout.write(`formatted ${relativePath(file)}\n`);
        } catch (e) {
          process.stderr.write(`gnet fmt: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
          failed = true;
        }
      }
    } else {
      process.stdout.write(result.text);
    }
  }
  if (options.check) {
    for (const file of unformatted) process.stdout.write(`${relativePath(file)}\n`);
    if (unformatted.length) process.stderr.write(`${unformatted.length} file${unformatted.length === 1 ? '' : 's'} would be reformatted (gnet fmt --write to fix)\n`);
  }
  return failed || unformatted.length ? 1 : 0;
}

/** Write beside the file, then rename over it: readers see the old file or the new one, never a mix. */
function writeAtomically(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: statSync(file).mode });
    renameSync(temporary, file);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // never written
    }
    throw e;
  }
}
