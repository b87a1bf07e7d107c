import { runSlurm, lastError } from './client.js';
import { SLURM_ERRORS, slurmError } from './codes.js';

/**
 * `sbatch --parsable SCRIPT`: the job's id, or GN1021 with sbatch's own reason and what to change
 * (the script stays on disk, so nothing is lost: fix the flag and run the same gnet command again).
 */
export function submitBatch(script: string, env?: NodeJS.ProcessEnv): string {
  const result = runSlurm('sbatch', ['--parsable', script], env);
  const id = /^(\d+)(;\S+)?\s*$/.exec(result.stdout.trim())?.[1];
  if (result.status === 0 && id !== undefined) return id;
  const said = lastError(result.stderr || result.stdout);
  throw slurmError(SLURM_ERRORS.refused, `sbatch refused the job: ${said}; ${refusalFix(said)}; nothing was submitted (the script is ${script})`);
}

/** What to change for the refusals users meet most. */
export function refusalFix(said: string): string {
  if (/partition/i.test(said)) return 'choose a partition that exists and that you may use with --partition (`sinfo -s` lists them)';
  if (/time limit|time specification/i.test(said)) return "give a --time within the partition's limit (`sinfo -o '%P %l'` lists them)";
  if (/gres|gpu/i.test(said)) return 'ask for GPUs a partition has (--partition, --gpus-per-task; `sinfo -o "%P %G"` lists them)';
  if (/account|qos|association/i.test(said)) return 'give an account or QOS you belong to with --sbatch-arg=--account=NAME (`sacctmgr show assoc user=$USER`)';
  return 'fix the option it names (--partition, --time, --gpus-per-task, --cpus-per-task or an --sbatch-arg)';
}
