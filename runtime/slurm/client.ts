import { spawnSync } from 'node:child_process';
import { SLURM_ERRORS, slurmError } from './codes.js';

/**
 * Slurm's client commands (sbatch, squeue, sacct, scontrol, scancel), run and read: a missing
 * command is GN1020 and a controller that does not answer GN1022, both naming what to do; any other
 * refusal is returned for the caller to word.
 */
export interface SlurmResult {
  readonly status: number;
  readonly stdout: string;
  /** Slurm's own error lines, trimmed. */
  readonly stderr: string;
}

/** How long one command may take: a hung controller must not hang gnet. */
const TIMEOUT_MS = 60_000;

export function runSlurm(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): SlurmResult {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: TIMEOUT_MS });
  const error = result.error as NodeJS.ErrnoException | undefined;
  if (error?.code === 'ENOENT') {
    throw slurmError(SLURM_ERRORS.noSlurm, `${command} is not on PATH, so Slurm cannot be asked to run anything from here; run gnet on a login node of the cluster (where sbatch and squeue work), load Slurm's module (module load slurm), or use --executor local`);
  }
  if (error?.code === 'ETIMEDOUT') throw unreachableError(command, `no answer in ${TIMEOUT_MS / 1000} s`);
  if (error) throw slurmError(SLURM_ERRORS.unreachable, `${command} could not run (${error.message}); check your Slurm installation`);
  const stderr = result.stderr.trim();
  if (result.status !== 0 && isUnreachable(stderr)) throw unreachableError(command, lastError(stderr));
  return { status: result.status ?? 1, stdout: result.stdout, stderr };
}

/** What Slurm's clients print when slurmctld (or munge, which signs every request) cannot be reached. */
const UNREACHABLE = [
  /Unable to contact slurm controller/i,
  /Socket timed out/i,
  /Connection refused/i,
  /Protocol authentication error/i,
  /Munge (en|de)code failed/i,
  /Could not establish a configuration source/i,
  /Zero Bytes were transmitted/i,
];

export const isUnreachable = (stderr: string): boolean => UNREACHABLE.some((re) => re.test(stderr));

function unreachableError(command: string, said: string) {
  return slurmError(SLURM_ERRORS.unreachable, `the Slurm controller did not answer ${command} (${said}); check that it is up with \`scontrol ping\` (and munged, if it says so), then run the same gnet command again: nothing was submitted or lost`);
}

/** Slurm's most telling line: the last "error:" or "fatal:" one, without the command's name. */
export function lastError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /\b(error|fatal):/i.test(l));
  const line = errors.at(-1) ?? lines.at(-1) ?? 'no message';
  return line.replace(/^\S+: (error|fatal): /i, '').replace(/^slurm_load_jobs error: /, '');
}
