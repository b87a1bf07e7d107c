/** What the training panel says in words: why Train refuses, which backend runs, how far a run is. */
import { PAGE_ERRORS } from './page-codes.js';
import { lineOf } from './problems-view.js';
import type { PageDiagnostic } from './protocol.js';
import { formatDuration, formatRate } from './train-clock.js';
import type { TrainEvent } from './train-protocol.js';

/** Why Train refuses while the editor's text has errors, naming them with their lines. */
export function refusal(errors: readonly PageDiagnostic[], path: string, text: string): string {
  const named = errors.slice(0, 3).map((d) => `${d.file === path ? `line ${lineOf(text, d.from)}` : d.file.replace(/^\/specs\//, '')}: ${d.message} (${d.code})`);
  const more = errors.length > 3 ? `, and ${errors.length - 3} more` : '';
  return `${PAGE_ERRORS.specHasErrors}: the editor shows ${errors.length} error${errors.length === 1 ? '' : 's'} — ${named.join('; ')}${more}. Train trains the text in the editor: fix ${errors.length === 1 ? 'it' : 'them'} first (see Problems).`;
}

export function backendText(event: Extract<TrainEvent, { kind: 'backend' }>): string {
  if (event.backend === 'webgpu') return `WebGPU on ${event.adapter}`;
  if (event.software) return `wasm on the CPU — WebGPU here is a software adapter (${event.software}), slower than wasm; choose WebGPU under backend to use it anyway`;
  return event.why === undefined ? 'wasm on the CPU (chosen)' : `wasm on the CPU — no WebGPU here (${event.why})`;
}

/** "step 12 (epoch 3): loss 0.2868, accuracy 0.951 · 11.8 images/s · about 2 min left". */
export function progressText(event: Extract<TrainEvent, { kind: 'step' }>, rate: number | undefined, secondsLeft: number | undefined): string {
  const speed = rate === undefined ? '' : ` · ${formatRate(rate)} images/s`;
  const eta = secondsLeft === undefined ? '' : secondsLeft < 1 ? ' · finishing' : ` · about ${formatDuration(secondsLeft)} left`;
  return `step ${event.step} (epoch ${event.epoch + 1}): loss ${event.loss.toPrecision(4)}${event.metric ? `, ${event.metric.name} ${event.metric.value.toFixed(3)}` : ''}${speed}${eta}`;
}
