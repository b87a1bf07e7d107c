/**
 * The data picker of the training panel: synthetic cells, MNIST-format IDX files, or a folder of
 * images, picked with the file inputs or dropped (files or whole folders). Picked files are read and
 * checked at once against the picked network, with the same code the training worker runs (so a bad
 * file is reported when picked, not after Train), and the pick is kept across reloads as far as the
 * browser allows (picked-store.ts).
 */
import type { ImageShape } from '../../runtime/data/types.js';
import type { DataChoice, DataKind, PathedFile } from './data/data-choice.js';
import { idxRole, sortIdxFiles } from './data/idx-files.js';
import { loadPageData, type DataTarget } from './data/page-data.js';
import { droppedFiles, droppedHandles } from './data/dropped-files.js';
import type { NetworkReport } from './protocol.js';
import { forgetPick, keepPick, keptPick, reopenPick, walk, type KeptPick, type PickedHandle } from './data/picked-store.js';

const IMAGE = /\.(png|jpe?g|gif|webp|bmp)$/i;
const SOURCE_KEY = 'gnet-playground-data-source';

/** The network the data must fit, with the spec's `data = "…"` (Fashion-MNIST class names). */
export interface DataNetwork {
  readonly target: DataTarget;
  readonly specData: string;
}

/** What the report says the data must fit (one image input; a class or mask output), or undefined when training cannot take it. */
export function dataNetwork(report: NetworkReport): DataNetwork | undefined {
  const output = report.json.outputs[0];
  const input = report.json.inputs[0]?.shape;
  if (!output?.shape || input?.length !== 3 || (output.shape.length !== 1 && output.shape.length !== 3) || 'error' in report.training) return undefined;
  const target: DataTarget = {
    task: output.shape.length === 1 ? 'classification' : 'segmentation',
    classes: Math.max(2, output.shape.at(-1)!),
    input: { shape: input as unknown as ImageShape },
    primary: { name: output.name, shape: output.shape },
  };
  return { target, specData: report.training.data ?? '' };
}

type Pickers = Window & { showOpenFilePicker?(options: { multiple: boolean }): Promise<FileSystemFileHandle[]>; showDirectoryPicker?(): Promise<FileSystemDirectoryHandle> };

export class DataView {
  private files: PathedFile[] = [];
  /** Once the user picked a source or files, the network no longer suggests one. */
  private chosen = false;
  private network: DataNetwork | undefined;
  /** The network the files were last checked against, so an edit that keeps it does not re-read them. */
  private checkedFor = '';
  private checks = 0;
  private kept: KeptPick | undefined;
  /** The images field's value: how many training images the check's summary counts. */
  samples: () => number = () => 64;

  constructor() {
    const stored = readSource();
    if (stored) {
      this.source.value = stored;
      this.chosen = true;
    }
    this.source.addEventListener('change', () => {
      this.chosen = true;
      this.files = [];
      storeSource(this.source.value);
      this.show();
      this.showError(undefined);
      void this.check();
    });
    for (const id of ['data-files', 'data-folder']) {
      const input = byId(id) as HTMLInputElement;
      input.addEventListener('change', () => {
        void this.take(Array.from(input.files ?? []).map((file) => ({ path: file.webkitRelativePath || file.name, file })));
        // Emptied, so picking the same (mended) file again is a change too; the summary names the files.
        input.value = '';
      });
      // Chromium's pickers give handles, which a reload can read again; elsewhere the input's own dialog.
      input.addEventListener('click', (event) => {
        const pickers = window as Pickers;
        if (!(id === 'data-files' ? pickers.showOpenFilePicker : pickers.showDirectoryPicker)) return;
        event.preventDefault();
        void this.pickWithHandles(id === 'data-files' ? 'files' : 'folder');
      });
    }
    const drop = byId('data-drop');
    drop.addEventListener('dragover', (event) => {
      event.preventDefault();
      drop.dataset.over = 'true';
    });
    drop.addEventListener('dragleave', () => delete drop.dataset.over);
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      delete drop.dataset.over;
      const handles = droppedHandles(event.dataTransfer);
      void droppedFiles(event.dataTransfer).then(async (files) => this.take(files, await handles, true));
    });
    byId('data-reuse').addEventListener('click', () => void this.reuse());
    this.show();
    void keptPick().then((kept) => this.showKept(kept));
  }

  /** The source that suits the network (files for a classifier, cells for segmentation) until the user picks one. */
  suggest(classifier: boolean): void {
    const suggested = classifier ? 'idx' : 'cells';
    if (this.chosen || this.source.value === suggested) return;
    this.source.value = suggested;
    this.show();
  }

  /** The network the data is checked against; its files are checked again when what they must fit changed. */
  fit(network: DataNetwork | undefined): void {
    this.network = network;
    void this.check();
  }

  /** What to train on, or why it cannot be trained on yet (shown beside the picker). */
  choice(): DataChoice | string {
    const kind = this.source.value as DataKind;
    if (kind === 'cells') return { kind };
    if (this.files.length === 0) return kind === 'idx' ? 'choose the IDX files first (train images and labels; t10k ones for validation)' : 'choose a folder of images first (class folders, or images with labels.csv)';
    return { kind, files: this.files };
  }

  /** The chosen data when it has passed its check: what a loaded model's predictions are shown on. */
  checkedChoice(): DataChoice | undefined {
    const choice = this.choice();
    if (typeof choice === 'string' || byId('data-error').textContent !== '') return undefined;
    // Cells are generated to fit; files count once their check has passed.
    return choice.kind === 'cells' || byId('data-summary').dataset.state === 'ok' ? choice : undefined;
  }

  showError(message: string | undefined): void {
    byId('data-error').textContent = message ?? '';
    this.source.setAttribute('aria-invalid', String(message !== undefined));
    for (const id of ['data-files', 'data-folder']) byId(id).setAttribute('aria-invalid', String(message !== undefined));
  }

  showSummary(text: string, state: 'ok' | 'note' = 'note'): void {
    const summary = byId('data-summary');
    summary.textContent = text;
    summary.dataset.state = state;
  }

  /** Files arrived: a drop may switch the source (IDX names mean IDX files); names are checked at once, then contents. */
  private async take(files: PathedFile[], handles?: readonly PickedHandle[], dropped = false): Promise<void> {
    if (dropped && files.length > 0) this.source.value = files.every((f) => idxRole(f.path)) ? 'idx' : 'folder';
    this.chosen = true;
    storeSource(this.source.value);
    this.files = files;
    this.show();
    this.showError(undefined);
    this.showKept(undefined);
    const kind = this.source.value as Exclude<DataKind, 'cells'>;
    void keepPick({ kind, names: files.map((f) => f.path), handles });
    if (kind === 'idx') {
      try {
        const roles = sortIdxFiles(files);
        this.showSummary(`${roles.has('test-images') ? 'training and t10k' : 'training'} files: ${[...roles.values()].map((f) => f.path).join(', ')}; checking…`);
      } catch (error) {
        this.showSummary('');
        this.showError(error instanceof Error ? error.message : String(error));
        return;
      }
    } else {
      const images = files.filter((f) => IMAGE.test(f.path)).length;
      const labels = files.find((f) => /(^|\/)labels\.(csv|tsv|txt)$/i.test(f.path));
      this.showSummary(`${images} images${labels ? `, labels from ${labels.path}` : ''} (${files.length} files); checking…`);
    }
    this.checkedFor = '';
    await this.check();
  }

  /**
   * Reads the chosen files as training will (decoding, counts, labels, sizes against the network)
   * and shows what training will see, or the first problem beside the picker.
   */
  private async check(): Promise<void> {
    const choice = this.choice();
    if (!this.network || typeof choice === 'string') return;
    const key = JSON.stringify([this.network, choice.kind, this.files.length, this.samples()]);
    if (key === this.checkedFor) return;
    this.checkedFor = key;
    const id = ++this.checks;
    try {
      // Cells are generated, not read: one image is enough to check that the network can take them.
      const samples = choice.kind === 'cells' ? 1 : this.samples();
      const data = await loadPageData(choice, { task: this.network.target, samples, seed: 0, specData: this.network.specData });
      if (id !== this.checks) return;
      this.showError(undefined);
      this.showSummary(choice.kind === 'cells' ? '' : `checked: ${data.summary}`, 'ok');
    } catch (error) {
      if (id !== this.checks) return;
      this.showSummary(choice.kind === 'cells' ? '' : 'the files were read but do not fit:');
      this.showError(error instanceof Error ? error.message : String(error));
    }
  }

  private async pickWithHandles(how: 'files' | 'folder'): Promise<void> {
    const pickers = window as Pickers;
    try {
      if (how === 'files') {
        const handles = await pickers.showOpenFilePicker!({ multiple: true });
        await this.take(await Promise.all(handles.map(async (h) => ({ path: h.name, file: await h.getFile() }))), handles.map((handle) => ({ path: handle.name, handle })));
      } else {
        const folder = await pickers.showDirectoryPicker!();
        await this.take(await walk(folder), [{ path: folder.name, handle: folder }]);
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') this.showError(`the files could not be opened (${(error as Error).message}); pick them again`);
    }
  }

  /** What was picked on an earlier visit: with handles, a button reads it again; without, the names to pick again. */
  private showKept(kept: KeptPick | undefined): void {
    this.kept = kept && this.files.length === 0 && kept.names.length > 0 ? kept : undefined;
    byId('data-kept').hidden = !this.kept;
    byId('data-reuse').hidden = !this.kept?.handles;
    if (!this.kept) return;
    if (!this.chosen) this.source.value = this.kept.kind;
    this.show();
    const names = this.kept.names.length > 4 ? `${this.kept.names.slice(0, 3).join(', ')} and ${this.kept.names.length - 3} more` : this.kept.names.join(', ');
    byId('data-kept-text').textContent = this.kept.handles
      ? `Last time you picked ${names}. The browser kept access to them:`
      : `Last time you picked ${names}. This browser cannot keep picked files across a reload (only their names): pick them again.`;
  }

  private async reuse(): Promise<void> {
    const kept = this.kept;
    if (!kept?.handles) return;
    try {
      const files = await reopenPick(kept.handles);
      this.source.value = kept.kind;
      await this.take(files, kept.handles);
    } catch (error) {
      this.showError(error instanceof Error ? error.message : String(error));
      void forgetPick();
      this.showKept({ kind: kept.kind, names: kept.names });
    }
  }

  private show(): void {
    const kind = this.source.value as DataKind;
    byId('data-pickers').hidden = kind === 'cells';
    byId('data-folder-label').hidden = kind !== 'folder';
    if (kind === 'cells') this.showSummary('');
    else if (this.files.length === 0) this.showSummary(kind === 'idx' ? 'pick or drop train-images-idx3-ubyte, train-labels-idx1-ubyte (and t10k-… for validation), gzipped or not' : 'pick or drop a folder with one subfolder per class, or images with labels.csv (“image,class” per line)');
  }

  private get source(): HTMLSelectElement {
    return byId('data-source') as HTMLSelectElement;
  }
}

function readSource(): DataKind | undefined {
  try {
    const stored = localStorage.getItem(SOURCE_KEY);
    return stored === 'cells' || stored === 'idx' || stored === 'folder' ? stored : undefined;
  } catch {
    return undefined;
  }
}

function storeSource(kind: string): void {
  try {
    localStorage.setItem(SOURCE_KEY, kind);
  } catch {
    // Storage disabled: the network suggests a source next time.
  }
}

const byId = (id: string): HTMLElement => document.getElementById(id)!;
