import Table from 'cli-table3';
import type { DeviceInfo, GnetBackend, ProbeResult } from '../../backends/backend.js';
import { AUTO_ORDER, BACKENDS, autoSelect, type BackendName, type BackendRegistry } from '../../backends/index.js';
import { probeSafely } from '../../backends/probe-safely.js';
import { createTorchBackend } from '../../backends/torch/index.js';
import { probeTorchOnce } from '../../backends/torch/python.js';

export interface BackendSurvey {
  readonly name: BackendName;
  /** Undefined when gnet has no module for the backend. */
  readonly probe: ProbeResult | undefined;
  /** For available backends: the device, or why describing it failed. */
  readonly device: DeviceInfo | string | undefined;
}

/** The backends as `gnet backends` shows them: torch probed in full (threads, distributed back ends), as training need not. */
const SURVEYED: BackendRegistry = { ...BACKENDS, torch: createTorchBackend(() => probeTorchOnce('full')) };

async function surveyOne(name: BackendName, backend: GnetBackend | undefined): Promise<BackendSurvey> {
  if (backend === undefined) return { name, probe: undefined, device: undefined };
  const probe = await probeSafely(backend);
  if (!probe.available) return { name, probe, device: undefined };
  const device = await backend.describe().catch((error: Error) => `describing the device failed: ${error.message}`);
  return { name, probe, device };
}

/** The backend `auto` picks given these probe results (autoSelect's own rule, without probing again), or why none. */
async function autoChoice(survey: readonly BackendSurvey[], registry: BackendRegistry): Promise<string> {
  const probed: Partial<Record<BackendName, GnetBackend>> = {};
  for (const { name, probe } of survey) {
    const backend = registry[name];
    if (backend !== undefined && probe !== undefined) probed[name] = Object.assign(Object.create(backend) as GnetBackend, { probe: async () => probe });
  }
  try {
    return (await autoSelect(AUTO_ORDER, probed)).name;
  } catch (error) {
    return `none: ${(error as Error).message}`;
  }
}

export async function surveyBackends(registry: BackendRegistry = SURVEYED): Promise<{ readonly survey: BackendSurvey[]; readonly auto: string }> {
  const survey: BackendSurvey[] = [];
  for (const name of AUTO_ORDER) survey.push(await surveyOne(name, registry[name]));
  return { survey, auto: await autoChoice(survey, registry) };
}

function status({ probe }: BackendSurvey): string {
  if (probe === undefined) return 'not built';
  if (!probe.available) return 'unavailable';
  return probe.software === true ? 'available (software)' : 'available';
}

function details({ probe, device }: BackendSurvey): string {
  if (probe === undefined) return 'gnet has no module for this backend';
  if (!probe.available) return `${probe.reason}\nfix: ${probe.fix}`;
  if (typeof device === 'string' || device === undefined) return `${probe.detail}\n${device ?? ''}`.trim();
  const processor = device.kind === 'cpu' ? 'CPU' : device.software ? 'GPU (software)' : 'GPU';
  return `${processor}: ${device.detail}`;
}

/** `gnet backends`: every backend, available or not and why, its device, and the one `--backend auto` picks. Exit 0. */
export async function backends(registry: BackendRegistry = SURVEYED, out: { write(text: string): unknown } = process.stdout): Promise<number> {
  const { survey, auto } = await surveyBackends(registry);
  const table = new Table({ head: ['backend', 'status', 'device, or why not and the fix'], wordWrap: true, colWidths: [9, 22, 96], style: { head: [], border: [] } });
  for (const row of survey) table.push([row.name, status(row), details(row)]);
  out.write(`${table.toString()}\n`);
  out.write(`--backend auto picks: ${auto}\n(torch first when it sees a CUDA device; otherwise it tries ${AUTO_ORDER.join(', ')} in that order, passing over unavailable backends and software GPU adapters)\n`);
  return 0;
}
