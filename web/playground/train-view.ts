/**
 * The training panel: the train section as fields (checked here, each message beside its field), the
 * backend and adapter, live loss and metric charts, and train / stop / continue. The work runs in
 * train-worker.ts, started on the first click so the page loads without TensorFlow.js.
 */
import { DataView } from './data-view.js';
import { InsightsView } from './insights-view.js';
import type { NetworkReport } from './protocol.js';
import type { ModelEvent, TrainEvent, TrainRequest, TrainSettings } from './train-protocol.js';

type Field = keyof TrainSettings;

/** What each field accepts: whole numbers from `min` (and up to `max`), or a positive rate. */
const RULES: Readonly<Record<Field, { readonly integer: boolean; readonly min: number; readonly max: number; readonly what: string }>> = {
  epochs: { integer: true, min: 1, max: 1000, what: 'epochs' },
  batch: { integer: true, min: 1, max: 1024, what: 'the batch size' },
  lr: { integer: false, min: 0, max: 10, what: 'the learning rate' },
  samples: { integer: true, min: 1, max: 4096, what: 'the number of images' },
};
const FIELDS = Object.keys(RULES) as Field[];
/** The code of failures the worker did not foresee (page-errors.ts, which the page does not load). */
const UNEXPECTED = 'GN0962';
const DEFAULT_SAMPLES = 64;

/** The message for a bad value, or undefined when it is fine. */
export function checkField(field: Field, text: string): string | undefined {
  const rule = RULES[field];
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return `${rule.what} must be a number, not “${text}”`;
  if (rule.integer && !Number.isInteger(value)) return `${rule.what} must be a whole number, not ${trimmed}`;
  if (rule.integer ? value < rule.min : value <= rule.min) return `${rule.what} must be ${rule.integer ? `at least ${rule.min}` : `above ${rule.min}`}, not ${trimmed}`;
  if (value > rule.max) return `${rule.what} must be at most ${rule.max} in the page, not ${trimmed}`;
  return undefined;
}

export class TrainView {
  private worker: Worker | undefined;
  private losses: number[] = [];
  private metrics: number[] = [];
  private metricName = '';
  private running = false;
  /** The values last put into the fields from the spec: a field still holding one follows the spec. */
  private filled: Partial<Record<Field, string>> = {};
  /** Set by the page: the backend asked for, and whether to train on from the current weights. */
  startOptions: () => { backend?: 'webgpu' | 'wasm'; fromCurrent?: boolean } = () => ({});
  /** Set by the page: the worker's answers about the model (download, load, predict). */
  onModelEvent: (event: ModelEvent) => void = () => {};
  /** Set by the page: each change of the training state. */
  onState: (state: string) => void = () => {};
  private readonly data = new DataView();
  private readonly insights = new InsightsView();
  /** 'wasm' from the page's ?backend=wasm, or once the user took the offer after a GPU failure. */
  private backend: 'webgpu' | 'wasm' | undefined = new URLSearchParams(location.search).get('backend') === 'wasm' ? 'wasm' : undefined;

  constructor(private readonly source: () => { path: string; text: string; network: NetworkReport | undefined }) {
    this.byId('train-start').addEventListener('click', () => this.start());
    this.byId('train-stop').addEventListener('click', () => this.send({ kind: 'stop' }));
    this.byId('train-continue').addEventListener('click', () => {
      this.setState('training', 'training…');
      this.send({ kind: 'continue' });
    });
    for (const field of FIELDS) this.input(field).addEventListener('input', () => this.showCheck(field));
    this.byId('train-on-wasm').addEventListener('click', () => {
      this.backend = 'wasm';
      this.start();
    });
  }

  /** The losses of every step so far (for tests and the console). */
  get stepLosses(): readonly number[] {
    return this.losses;
  }

  /** Test hook: destroys the worker's WebGPU device, as a driver reset would. */
  loseDevice(): void {
    this.send({ kind: 'lose-device' });
  }

  /** Puts the network's train section into the fields a user has not changed. */
  showNetwork(report: NetworkReport | undefined): void {
    const note = this.byId('train-section');
    if (!report) return;
    this.data.suggest(report.json.outputs[0]?.shape?.length === 1);
    if ('error' in report.training) {
      note.textContent = `train section: ${report.training.error}`;
      note.dataset.state = 'error';
      return;
    }
    const t = report.training;
    note.dataset.state = 'ok';
    note.textContent = `${report.name}: loss ${t.loss}, optimizer ${t.optimizer}, metrics ${t.metrics.join(', ') || 'none'}`;
    const values: Record<Field, string> = { epochs: String(t.epochs), batch: String(t.batch), lr: String(t.lr), samples: String(t.samples ?? DEFAULT_SAMPLES) };
    for (const field of FIELDS) {
      const input = this.input(field);
      if (input.value === '' || input.value === this.filled[field]) input.value = values[field];
      this.filled[field] = values[field];
      this.showCheck(field);
    }
  }

  private start(): void {
    const settings = this.settings();
    if (!settings) {
      this.setState('invalid', 'fix the settings marked in red first');
      return;
    }
    const { path, text, network } = this.source();
    if (!network) {
      this.setState('invalid', 'the spec has no valid network to train yet');
      return;
    }
    const data = this.data.choice();
    this.data.showError(typeof data === 'string' ? data : undefined);
    if (typeof data === 'string') {
      this.setState('invalid', data);
      return;
    }
    this.losses = [];
    this.metrics = [];
    this.draw();
    this.byId('train-log').replaceChildren();
    this.insights.reset();
    this.byId('train-on-wasm').hidden = true;
    this.running = true;
    this.buttons();
    this.setState('starting', 'compiling the network, reading the data and starting the backend…');
    const options = this.startOptions();
    this.send({ kind: 'start', path, text, network: network.name, settings, data, fromCurrent: options.fromCurrent, backend: this.backend ?? options.backend });
  }

  /** Checked settings, or undefined after marking every bad field. */
  private settings(): TrainSettings | undefined {
    let ok = true;
    for (const field of FIELDS) ok = this.showCheck(field) && ok;
    if (!ok) return undefined;
    const value = (field: Field) => Number(this.input(field).value.trim());
    const settings = { epochs: value('epochs'), batch: value('batch'), lr: value('lr'), samples: value('samples') };
    if (settings.batch > settings.samples) {
      this.fieldMessage('batch', `the batch size (${settings.batch}) must not exceed the number of images (${settings.samples})`);
      return undefined;
    }
    return settings;
  }

  private showCheck(field: Field): boolean {
    const message = checkField(field, this.input(field).value);
    this.fieldMessage(field, message);
    return message === undefined;
  }

  private fieldMessage(field: Field, message: string | undefined): void {
    const note = this.byId(`${field}-error`);
    note.textContent = message ?? '';
    this.input(field).setAttribute('aria-invalid', String(message !== undefined));
  }

  send(request: TrainRequest): void {
    if (!this.worker) {
      this.worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<TrainEvent>) => this.receive(event.data);
      this.worker.onerror = (event) => this.workerFailed(event);
    }
    this.worker.postMessage(request);
  }

  private receive(event: TrainEvent): void {
    switch (event.kind) {
      case 'backend':
        this.byId('train-backend').textContent = event.backend === 'webgpu'
          ? `WebGPU on ${event.adapter}`
          : event.why === undefined ? 'wasm on the CPU (chosen)' : `wasm on the CPU — no WebGPU here (${event.why})`;
        this.byId('train-backend').dataset.backend = event.backend;
        break;
      case 'started':
        this.setState('training', `training ${event.network} (${event.params.toLocaleString('en-US')} trainable parameters): ${event.epochs} epochs of ${event.stepsPerEpoch} steps`);
        break;
      case 'step':
        this.losses.push(event.loss);
        if (event.metric) {
          this.metricName = event.metric.name;
          this.metrics.push(event.metric.value);
        }
        this.byId('train-progress').textContent = `step ${event.step} (epoch ${event.epoch + 1}): loss ${event.loss.toPrecision(4)}${event.metric ? `, ${event.metric.name} ${event.metric.value.toFixed(3)}` : ''}`;
        this.draw();
        break;
      case 'epoch': {
        const item = document.createElement('li');
        const metrics = Object.entries(event.metrics).map(([name, value]) => `${name} ${value.toFixed(3)}`).join(', ');
        item.textContent = `epoch ${event.epoch + 1}: loss ${event.loss.toPrecision(4)}${metrics ? `, ${metrics}` : ''}`;
        this.byId('train-log').append(item);
        break;
      }
      case 'paused':
        this.setState('paused', `stopped after step ${this.losses.length}; continue goes on from there`);
        break;
      case 'done':
        this.running = false;
        this.setState('done', `done: ${this.losses.length} steps, last loss ${this.losses.at(-1)?.toPrecision(4) ?? '—'}`);
        break;
      case 'download':
      case 'loaded':
      case 'model-predictions':
      case 'model-error':
        this.onModelEvent(event);
        return;
      case 'error':
        if (event.field) this.fieldMessage(event.field, event.message);
        if (event.place === 'data') this.data.showError(event.message);
        this.byId('train-on-wasm').hidden = !event.offerWasm;
        if (event.freshWorker) {
          this.worker?.terminate();
          this.worker = undefined;
        }
        this.fail(event.message);
        break;
      case 'data':
        this.data.showSummary(event.summary);
        break;
    }
    this.insights.receive(event);
    this.buttons();
  }

  /** An error nothing in the worker caught (or a worker that never loaded): readable, logged, and a new worker next time. */
  private workerFailed(event: ErrorEvent): void {
    event.preventDefault();
    console.warn('gnet playground: the training worker failed:', event.message);
    this.worker?.terminate();
    this.worker = undefined;
    this.fail(event.message
      ? `${UNEXPECTED}: the training worker stopped on an unexpected error (details in the browser console); train again, or reload the page if it repeats`
      : `${UNEXPECTED}: the training worker could not load (train-worker.js); check that the page's files are all served, then reload it`);
  }

  private fail(message: string): void {
    this.running = false;
    this.setState('failed', message);
    this.buttons();
  }

  private setState(state: string, text: string): void {
    const status = this.byId('train-status');
    status.dataset.state = state;
    status.textContent = text;
    this.onState(state);
  }

  private buttons(): void {
    const state = this.byId('train-status').dataset.state;
    (this.byId('train-start') as HTMLButtonElement).disabled = this.running;
    (this.byId('train-stop') as HTMLButtonElement).disabled = !(this.running && state === 'training');
    (this.byId('train-continue') as HTMLButtonElement).disabled = state !== 'paused';
  }

  private draw(): void {
    plot(this.byId('loss-chart') as HTMLCanvasElement, this.losses, 'loss per step');
    plot(this.byId('metric-chart') as HTMLCanvasElement, this.metrics, this.metricName ? `${this.metricName} (epoch so far)` : 'metric');
  }

  private input(field: Field): HTMLInputElement {
    return this.byId(`train-${field}`) as HTMLInputElement;
  }

  private byId(id: string): HTMLElement {
    return document.getElementById(id)!;
  }
}

/** A line chart of `values` by step, scaled to their range, with the first and last values written. */
function plot(canvas: HTMLCanvasElement, values: readonly number[], title: string): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  g.strokeStyle = '#ccc';
  g.strokeRect(0.5, 0.5, width - 1, height - 1);
  g.fillStyle = '#333';
  g.font = '12px system-ui, sans-serif';
  g.fillText(title, 8, 15);
  if (values.length === 0) return;
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const pad = 22;
  const x = (i: number) => pad + (values.length === 1 ? 0 : (i / (values.length - 1)) * (width - 2 * pad));
  const y = (v: number) => height - pad + 6 - ((v - low) / span) * (height - 2 * pad);
  g.strokeStyle = '#2563eb';
  g.lineWidth = 1.5;
  g.beginPath();
  values.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
  g.stroke();
  g.fillText(`${values[0]!.toPrecision(3)} → ${values.at(-1)!.toPrecision(3)} (${values.length} steps)`, 8, height - 5);
}
