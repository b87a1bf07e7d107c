/** Runs a CLI command function in-process with stdout and stderr captured. */
export async function captured(work: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const streams = { out: '', err: '' };
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => ((streams.out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((streams.err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await work(), ...streams };
  } finally {
    [process.stdout.write, process.stderr.write] = [stdout, stderr];
  }
}
