/**
 * The training panel: the settings (train-fields.ts), the data (data-view.ts), train / stop /
 * continue / abort / reset, the backend and adapter, speed and time left, the charts and what
 * training shows. The work runs in train-worker.ts, started on the first click so the page loads
 * without TensorFlow.js; every decision about the run itself (epochs, validation, stopping) is the
 * worker's, the page only asks and shows.
 */
import { confirmAction } from './confirm-dialog.js';
import type { DataChoice } from './data/data-choice.js';
import { dataNetwork, DataView } from './data-view.js';
import { InsightsView } from './insights-view.js';
import { PAGE_ERRORS } from './page-codes.js';
import type { NetworkReport, PageDiagnostic } from './protocol.js';
import { TrainCharts } from './train-charts.js';
import { TrainClock } from './train-clock.js';
import { TrainFields } from './train-fields.js';
import { backendText, progressText, refusal } from './train-messages.js';
import type { BackendChoice, ModelEvent, TrainEvent, TrainRequest } from './train-protocol.js';

/** What Train trains: the editor's text once compiled, the picked network's report, and the text's errors. */
export interface TrainSource {
  readonly path: string;
  readonly text: string;
  readonly network: NetworkReport | undefined;
  readonly errors: readonly PageDiagnostic[];
}

type StepEvent = Extract<TrainEvent, { kind: 'step' }>;
type State = 'idle' | 'invalid' | 'starting' | 'training' | 'stopping' | 'paused' | 'aborting' | 'done' | 'failed';
const RUNNING: ReadonlySet<State> = new Set(['starting', 'training', 'stopping', 'paused', 'aborting']);
/** A first step on WebGPU slower than this gets the offer to train on wasm instead (ms). */
const SLOW_FIRST_STEP = 20_000;

export class TrainView {
  private worker: Worker | undefined;
  private losses: number[] = [];
  private state: State = 'idle';
  private network = '';
  private backend = '';
  private clock: TrainClock | undefined;
  private lastStep: StepEvent | undefined;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  /** Abort was asked for before the worker's run began: sent once it has. */
  private abortWanted = false;
  private ended: (() => void)[] = [];
  /** Train was clicked and waits for the compile of the editor's text: a second click does nothing. */
  private checking = false;
  /** Set by the page: options of the next run (train on from the current weights). */
  startOptions: () => { fromCurrent?: boolean } = () => ({});
  /** Set by the page: the worker's answers about the model (download, load, predict, snapshot). */
  onModelEvent: (event: ModelEvent) => void = () => {};
  /** Set by the page: each change of the training state. */
  onState: (state: string) => void = () => {};
  /** Set by the page: a run failed (`workerLost`: and took the worker with it); the previous model is put back. */
  onRunFailed: (workerLost: boolean) => void = () => {};
  /** Set by the page: drops the current model (Reset). */
  resetModel: () => void = () => {};
  private readonly fields = new TrainFields();
  private readonly data = new DataView();
  private readonly insights = new InsightsView();
  private readonly charts = new TrainCharts({ loss: byId('loss-chart'), metric: byId('metric-chart'), lossCaption: byId('loss-caption'), metricCaption: byId('metric-caption') });

  constructor(private readonly source: () => Promise<TrainSource>) {
    this.data.samples = () => this.fields.samples();
    byId('train-start').addEventListener('click', () => void this.start());
    byId('train-stop').addEventListener('click', () => {
      this.setState('stopping', `stopping after the current step (step ${this.losses.length + 1})…`);
      this.send({ kind: 'stop' });
    });
    byId('train-continue').addEventListener('click', () => {
      this.clock?.resume(performance.now());
      this.setState('training', `training ${this.network}…`);
      this.send({ kind: 'continue' });
    });
    byId('train-abort').addEventListener('click', () => this.abort());
    byId('train-reset').addEventListener('click', () => void this.reset());
    byId('train-on-wasm').addEventListener('click', () => void this.switchToWasm());
    byId('train-backend-choice').addEventListener('change', () => this.idleText());
    // Leaving the page ends a run; the browser asks first.
    window.addEventListener('beforeunload', (event) => {
      if (!this.active) return;
      event.preventDefault();
      event.returnValue = '';
    });
    this.idleText();
    this.buttons();
  }

  /** The losses of every step so far (for tests and the console). */
  get stepLosses(): readonly number[] {
    return this.losses;
  }

  /** Whether a run is starting, training or stopped (not ended). */
  get active(): boolean {
    return RUNNING.has(this.state);
  }

  get activeNetwork(): string {
    return this.network || 'A network';
  }

  backendChoice(): BackendChoice {
    return this.fields.backend;
  }

  /** The picked data when it passed its check, and how many images a preview may read. */
  dataChoice(): { data?: DataChoice; samples: number } {
    return { data: this.data.checkedChoice(), samples: this.fields.samples() };
  }

  /** Test hook: destroys the worker's WebGPU device, as a driver reset would. */
  loseDevice(): void {
    this.send({ kind: 'lose-device' });
  }

  /** Puts the network's train section into the fields a user has not changed, and checks the data against it. */
  showNetwork(report: NetworkReport | undefined): void {
    const note = byId('train-section');
    if (!report) return;
    this.data.suggest(report.json.outputs[0]?.shape?.length === 1);
    if ('error' in report.training) {
      note.textContent = `train section: ${report.training.error}`;
      note.dataset.state = 'error';
      this.data.fit(undefined);
      return;
    }
    const t = report.training;
    note.dataset.state = 'ok';
    note.textContent = `${report.name}: loss ${t.loss}, optimizer ${t.optimizer}, metrics ${t.metrics.join(', ') || 'none'}`;
    this.fields.follow(t);
    this.data.fit(dataNetwork(report));
  }

  /** A loaded model replaces the run's pictures: its kernels, and predictions on the picked data. */
  showLoadedModel(): void {
    this.charts.clear();
    byId('train-log').replaceChildren();
    this.insights.reset(true);
    const { data, samples } = this.dataChoice();
    this.send({ kind: 'preview', data, samples });
  }

  /** Ends the run (after the current step; its model is kept) and resolves once it has. */
  endRun(): Promise<void> {
    if (!this.active) return Promise.resolve();
    const ended = new Promise<void>((resolve) => this.ended.push(resolve));
    this.abort();
    return ended;
  }

  private async start(): Promise<void> {
    if (this.active || this.checking) return;
    const settings = this.fields.read();
    if (!settings) {
      this.setState('invalid', 'fix the settings marked in red first');
      return;
    }
    this.checking = true;
    const { path, text, network, errors } = await this.source().finally(() => (this.checking = false));
    if (errors.length > 0) {
      this.setState('invalid', refusal(errors, path, text));
      return;
    }
    if (!network) {
      this.setState('invalid', 'the spec has no network to train yet');
      return;
    }
    const data = this.data.choice();
    this.data.showError(typeof data === 'string' ? data : undefined);
    if (typeof data === 'string') {
      this.setState('invalid', data);
      return;
    }
    this.losses = [];
    this.lastStep = undefined;
    this.network = network.name;
    this.abortWanted = false;
    this.charts.clear();
    byId('train-log').replaceChildren();
    byId('train-progress').textContent = '';
    this.insights.reset();
    byId('train-on-wasm').hidden = true;
    this.setState('starting', `compiling ${network.name}, reading the data and starting the backend…`);
    this.send({ kind: 'start', path, text, network: network.name, settings, data, fromCurrent: this.startOptions().fromCurrent, backend: this.fields.backend });
  }

  private abort(): void {
    if (!this.active || this.state === 'aborting') return;
    this.setState('aborting', this.state === 'paused' ? 'ending the run…' : 'ending the run after the current step…');
    this.abortWanted = true;
    this.send({ kind: 'abort' });
  }

  private async reset(): Promise<void> {
    const what = this.active ? `Reset ends the run of ${this.network} and drops its model` : 'Reset drops the current model';
    if (!(await confirmAction(`${what}; the next run starts from fresh weights. Download the model first to keep it.`, 'Reset'))) return;
    await this.endRun();
    this.resetModel();
    this.losses = [];
    this.charts.clear();
    byId('train-log').replaceChildren();
    byId('train-progress').textContent = '';
    this.insights.reset();
    this.setState('idle', 'reset: the next run starts from fresh weights');
  }

  /** The first step takes long on WebGPU: end this run at once (the worker goes, the previous model is put back) and train on wasm. */
  private async switchToWasm(): Promise<void> {
    this.fields.backend = 'wasm';
    if (this.active) {
      this.worker?.terminate();
      this.worker = undefined;
      this.ended.splice(0).forEach((resolve) => resolve());
      this.setState('failed', 'ended the run on WebGPU');
      this.onRunFailed(true);
    }
    await this.start();
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
        this.backend = event.backend;
        byId('train-backend').textContent = backendText(event);
        byId('train-backend').dataset.backend = event.backend;
        break;
      case 'started':
        if (this.abortWanted) this.send({ kind: 'abort' });
        else this.setState('training', `training ${event.network} (${event.params.toLocaleString('en-US')} trainable parameters) on ${event.images} images: ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} of ${event.stepsPerEpoch} steps of ${event.batch}`);
        this.clock = new TrainClock(event, performance.now());
        this.charts.start(event);
        this.watchFirstStep();
        break;
      case 'step':
        this.losses.push(event.loss);
        this.clock?.step(event.images, performance.now());
        this.charts.step(event.step, event.loss, event.metric);
        this.lastStep = event;
        this.progress(event);
        break;
      case 'epoch': {
        this.clock?.epoch(performance.now());
        this.charts.epoch(event.loss);
        const item = document.createElement('li');
        const metrics = Object.entries(event.metrics).map(([name, value]) => `${name} ${value.toFixed(3)}`).join(', ');
        item.textContent = `epoch ${event.epoch + 1}: loss ${event.loss.toPrecision(4)}${metrics ? `, ${metrics}` : ''}`;
        byId('train-log').append(item);
        break;
      }
      case 'validation':
        this.charts.validation(event.loss, event.metrics);
        break;
      case 'paused':
        this.clock?.pause();
        if (this.state !== 'aborting') this.setState('paused', `stopped after step ${this.losses.length}; Continue goes on from there, Abort ends the run and keeps this model`);
        break;
      case 'done':
        this.charts.settle();
        if (this.lastStep) this.progress(this.lastStep, true);
        this.setState('done', event.aborted
          ? `ended after step ${this.losses.length}, last loss ${this.losses.at(-1)?.toPrecision(4) ?? '—'}; the model as it is now can be downloaded or trained on`
          : `done: ${this.losses.length} steps, last loss ${this.losses.at(-1)?.toPrecision(4) ?? '—'}`);
        break;
      case 'error':
        this.failed(event);
        break;
      case 'data':
        this.data.showSummary(event.summary, 'ok');
        break;
      case 'download':
      case 'loaded':
      case 'model-predictions':
      case 'model-error':
      case 'snapshot':
      case 'reset':
        this.onModelEvent(event);
        return;
    }
    this.insights.receive(event);
    this.buttons();
  }

  private failed(event: Extract<TrainEvent, { kind: 'error' }>): void {
    if (event.field) this.fields.message(event.field, event.message);
    if (event.place === 'data') this.data.showError(event.message);
    byId('train-on-wasm').hidden = !event.offerWasm;
    byId('train-on-wasm').textContent = 'Train on wasm instead';
    if (event.freshWorker) {
      this.worker?.terminate();
      this.worker = undefined;
    }
    const wasRun = this.active;
    this.fail(event.message);
    if (wasRun) this.onRunFailed(event.freshWorker === true);
  }

  /** An error nothing in the worker caught (or a worker that never loaded): readable, logged, and a new worker next time. */
  private workerFailed(event: ErrorEvent): void {
    event.preventDefault();
    console.warn('gnet playground: the training worker failed:', event.message);
    this.worker?.terminate();
    this.worker = undefined;
    const wasRun = this.active;
    this.fail(event.message
      ? `${PAGE_ERRORS.unexpected}: the training worker stopped on an unexpected error (details in the browser console); train again, or reload the page if it repeats`
      : `${PAGE_ERRORS.unexpected}: the training worker could not load (train-worker.js); check that the page's files are all served, then reload it`);
    if (wasRun) this.onRunFailed(true);
  }

  private fail(message: string): void {
    if (this.lastStep) this.progress(this.lastStep, true);
    this.setState('failed', message);
  }

  /** On WebGPU, a first step that takes long (shaders compiling on a slow adapter) brings the offer to train on wasm. */
  private watchFirstStep(): void {
    clearTimeout(this.slowTimer);
    if (this.backend !== 'webgpu') return;
    const steps = this.losses.length;
    this.slowTimer = setTimeout(() => {
      if (!this.active || this.losses.length !== steps) return;
      const offer = byId('train-on-wasm');
      offer.textContent = 'Slow on WebGPU here: train on wasm instead';
      offer.title = `The first step has taken over ${SLOW_FIRST_STEP / 1000} s on this WebGPU adapter; wasm on the CPU is often faster. This ends the run now.`;
      offer.hidden = false;
    }, SLOW_FIRST_STEP);
  }

  /** The last step's loss and metric, the speed, and (while the run goes on) the time left. */
  private progress(event: StepEvent, ended = false): void {
    byId('train-progress').textContent = progressText(event, this.clock?.imagesPerSecond(), ended ? undefined : this.clock?.secondsLeft());
    if (this.losses.length === 1) {
      clearTimeout(this.slowTimer);
      if (byId('train-on-wasm').textContent !== 'Train on wasm instead') byId('train-on-wasm').hidden = true;
    }
  }

  private setState(state: State, text: string): void {
    const wasActive = this.active;
    this.state = state;
    const status = byId('train-status');
    status.dataset.state = state;
    status.textContent = text;
    byId('train-badge').textContent = this.active ? `(${state === 'paused' ? 'stopped' : 'running'})` : '';
    if (wasActive && !this.active) {
      clearTimeout(this.slowTimer);
      this.ended.splice(0).forEach((resolve) => resolve());
    }
    this.buttons();
    this.onState(state);
  }

  /** What Train will do, before any run: which network, on which backend. */
  private idleText(): void {
    if (this.state !== 'idle' || this.losses.length > 0) return;
    const on = { auto: 'on WebGPU where this browser has a hardware adapter, else on wasm (CPU)', webgpu: 'on WebGPU', wasm: 'on wasm (CPU)' }[this.fields.backend];
    byId('train-status').textContent = `Train compiles the picked network and trains it in this page ${on}.`;
  }

  private buttons(): void {
    const focused = document.activeElement;
    const running = this.active;
    // Train stays focusable while a run goes on (aria-disabled), so the focus never falls to the page.
    byId('train-start').setAttribute('aria-disabled', String(running));
    (byId('train-stop') as HTMLButtonElement).disabled = this.state !== 'training';
    (byId('train-continue') as HTMLButtonElement).disabled = this.state !== 'paused';
    (byId('train-abort') as HTMLButtonElement).disabled = !running || this.state === 'aborting';
    // A clicked button that is disabled now would drop the focus to the page: it goes to the next control that applies.
    if (focused instanceof HTMLButtonElement && focused.disabled && focused.closest('#train-buttons')) {
      (['train-continue', 'train-stop', 'train-abort', 'train-start'].map(byId) as HTMLButtonElement[]).find((b) => !b.disabled)?.focus();
    }
  }
}

const byId = (id: string): HTMLElement => document.getElementById(id)!;
