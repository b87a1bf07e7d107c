/**
 * Download the trained model as one zip, and load such a zip back (picked or dropped): the training
 * worker takes its weights and then the spec opens in the editor, so predictions and further training start
 * from them. The zip's layout is model-store.ts'. The page also keeps a copy of the last good model
 * (the worker's snapshot after each run and load): a run that fails — out of memory takes the worker
 * with it — puts it back, so Download always gives a model that trained to its end.
 */
import { strFromU8, unzipSync } from 'fflate';
import type { BackendChoice, ModelCopy, ModelEvent, PageOutput, TrainRequest } from './train-protocol.js';

export interface ModelIoHost {
  readonly send: (request: TrainRequest) => void;
  /** Opens a spec in the editor and picks `network` once the compiler has read it. */
  readonly openSpec: (spec: { path: string; text: string }, network: string) => void;
  readonly backend: () => BackendChoice;
  /** A model was loaded from a zip: show its kernels and predictions. */
  readonly loaded: () => void;
}

/** What a download holds that loading needs, found wherever the zip's folder is. */
export type Download = ModelCopy;

/** Reads a playground download (or any zip of a run folder with model/); a message when it is not one. */
export function readDownload(zip: Uint8Array): Download | string {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (error) {
    return `this file is not a zip archive (${(error as Error).message}); pick the .zip the playground downloaded`;
  }
  const config = Object.keys(files).filter((p) => /(^|\/)config\.json$/.test(p)).sort((a, b) => a.length - b.length)[0];
  if (config === undefined) return 'the zip holds no config.json; pick the .zip the playground downloaded (or a zipped gnet run folder)';
  const folder = config.slice(0, -'config.json'.length);
  const text = (name: string) => (files[folder + name] ? strFromU8(files[folder + name]!) : undefined);
  const missing = ['sources.json', 'model/model.json', 'model/weights.bin'].filter((name) => !files[folder + name]);
  if (missing.length > 0) return `the zip has no ${missing.join(', ')} beside config.json; download the model again`;
  try {
    const record = JSON.parse(text('config.json')!) as { spec?: { network?: string } };
    const sources = JSON.parse(text('sources.json')!) as { entry?: string; files?: Record<string, string> };
    const network = record.spec?.network;
    const entry = sources.entry;
    const spec = entry === undefined ? undefined : sources.files?.[entry];
    if (!network || entry === undefined || spec === undefined) return 'config.json or sources.json in the zip lacks the network or the spec; download the model again';
    return { path: entry, text: spec, network, modelJson: text('model/model.json')!, weights: files[`${folder}model/weights.bin`]!, log: text('log.jsonl') };
  } catch (error) {
    return `a file in the zip is not valid JSON (${(error as Error).message}); download the model again`;
  }
}

export class ModelIoView {
  private hasModel = false;
  private trainState = 'idle';
  /** The last model that trained to its end or was loaded, to put back after a failed run. */
  private snapshot: ModelCopy | undefined;
  private describe = '';
  private nextId = 0;
  /** The spec of the zip being loaded: it opens in the editor once the worker holds the weights. */
  private pending: { path: string; text: string; network: string } | undefined;
  private readonly waiting = new Map<number, { resolve: (o: readonly PageOutput[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly host: ModelIoHost) {
    this.byId('model-download').addEventListener('click', () => {
      this.status('working', 'building the download (the graph model is traced on the CPU)…');
      this.host.send({ kind: 'download' });
    });
    const picker = this.byId('model-file') as HTMLInputElement;
    picker.addEventListener('change', () => {
      const file = picker.files?.[0];
      if (file) void this.loadFile(file);
      picker.value = '';
    });
    const zone = this.byId('train-panel');
    zone.addEventListener('dragover', (event) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    });
    zone.addEventListener('drop', (event) => {
      const file = event.dataTransfer?.files[0];
      if (!file || !/\.zip$/i.test(file.name)) return;
      event.preventDefault();
      void this.loadFile(file);
    });
  }

  /** The training panel's state (training, paused, done, …): a download waits for a stop. */
  trainStateChanged(state: string): void {
    this.trainState = state;
    if (state === 'training' || state === 'paused' || state === 'done') this.hasModel = true;
    this.buttons();
  }

  /**
   * A run failed: its half-trained (or never trained) weights are not a model to keep. The last good
   * one goes back into the worker (a new one when the old died), or there is no model.
   */
  runFailed(): void {
    // Until the worker holds the previous model again, there is nothing to download or predict with.
    this.hasModel = false;
    if (this.snapshot) {
      this.host.send({ kind: 'load', ...this.snapshot, backend: this.host.backend(), quiet: true });
      this.status('working', `putting the previous model (${this.describe}) back…`);
    } else {
      this.host.send({ kind: 'reset' });
    }
    this.buttons();
  }

  /** Reset: the worker forgets its model, and so does the page. */
  reset(): void {
    this.snapshot = undefined;
    this.hasModel = false;
    (this.byId('train-from-model') as HTMLInputElement).checked = false;
    this.host.send({ kind: 'reset' });
    this.status('none', 'no model: the next run starts from fresh weights');
    this.buttons();
  }

  receive(event: ModelEvent): void {
    switch (event.kind) {
      case 'download': {
        const url = URL.createObjectURL(new Blob([event.zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = event.name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        this.status('ok', `downloaded ${event.name} (${(event.zip.byteLength / 1024).toFixed(0)} KB): a gnet run folder with the spec, gnet's model and a TensorFlow.js graph model`);
        break;
      }
      case 'loaded': {
        this.hasModel = true;
        if (event.quiet) {
          this.status('ok', `the failed run left the previous model in place (${this.describe}); Download gives that one`);
          break;
        }
        if (this.pending) this.host.openSpec({ path: this.pending.path, text: this.pending.text }, this.pending.network);
        this.pending = undefined;
        (this.byId('train-from-model') as HTMLInputElement).checked = true;
        const on = event.backend === 'webgpu' ? `WebGPU on ${event.device}` : 'wasm on the CPU';
        const trained = event.epochs > 0 ? `, trained ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} in the page` : '';
        this.status('loaded', `loaded ${event.network} (${event.params.toLocaleString('en-US')} trainable parameters${trained}); it runs on ${on}; Train goes on from these weights`);
        this.host.loaded();
        break;
      }
      case 'snapshot': {
        const { kind: _, ...copy } = event;
        this.snapshot = copy;
        const epochs = copy.log ? copy.log.split('\n').filter((l) => l.trim()).length : 0;
        this.describe = `${copy.network}${epochs > 0 ? ` after ${epochs} epoch${epochs === 1 ? '' : 's'}` : ''}`;
        break;
      }
      case 'reset':
        this.hasModel = false;
        break;
      case 'model-predictions':
        this.waiting.get(event.id)?.resolve(event.outputs);
        this.waiting.delete(event.id);
        break;
      case 'model-error':
        if (event.id !== undefined && this.waiting.has(event.id)) {
          this.waiting.get(event.id)!.reject(new Error(event.message));
          this.waiting.delete(event.id);
        }
        this.pending = undefined;
        this.status('error', event.message);
        break;
    }
    this.buttons();
  }

  /** The current model's outputs for images (float32 HWC in [0, 1]): for tests and the console. */
  predict(images: readonly Float32Array[]): Promise<readonly PageOutput[]> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.host.send({ kind: 'predict', id, images });
    });
  }

  private async loadFile(file: File): Promise<void> {
    const download = readDownload(new Uint8Array(await file.arrayBuffer()));
    if (typeof download === 'string') {
      this.status('error', `${file.name}: ${download}`);
      return;
    }
    this.status('working', `loading ${download.network} from ${file.name}…`);
    this.pending = { path: download.path, text: download.text, network: download.network };
    this.host.send({ kind: 'load', ...download, backend: this.host.backend() });
  }

  private buttons(): void {
    const stepping = this.trainState === 'training' || this.trainState === 'starting' || this.trainState === 'stopping' || this.trainState === 'aborting';
    (this.byId('model-download') as HTMLButtonElement).disabled = !this.hasModel || stepping;
    (this.byId('train-from-model') as HTMLInputElement).disabled = !this.hasModel;
    // Reset drops a model, or ends a run and drops its model: nothing to do without either.
    const running = stepping || this.trainState === 'paused';
    (this.byId('train-reset') as HTMLButtonElement).disabled = !(this.hasModel || running) || this.trainState === 'aborting';
  }

  private status(state: string, text: string): void {
    const line = this.byId('model-status');
    line.dataset.state = state;
    line.textContent = text;
  }

  private byId(id: string): HTMLElement {
    return document.getElementById(id)!;
  }
}
