/**
 * The data picker of the training panel: synthetic cells, MNIST-format IDX files, or a folder of
 * images, picked with the file inputs or dropped (files or whole folders). File names are checked
 * as soon as they arrive; the contents are read by the training worker, whose data messages come
 * back here, beside the picker.
 */
import type { DataChoice, DataKind, PathedFile } from './data/data-choice.js';
import { idxRole, sortIdxFiles } from './data/idx-files.js';

const IMAGE = /\.(png|jpe?g|gif|webp|bmp)$/i;

export class DataView {
  private files: PathedFile[] = [];
  /** Once the user picked a source or files, the network no longer suggests one. */
  private chosen = false;

  constructor() {
    this.source.addEventListener('change', () => {
      this.chosen = true;
      this.files = [];
      this.show();
    });
    for (const id of ['data-files', 'data-folder']) {
      const input = byId(id) as HTMLInputElement;
      input.addEventListener('change', () => {
        this.take(Array.from(input.files ?? []).map((file) => ({ path: file.webkitRelativePath || file.name, file })));
        // Emptied, so picking the same (mended) file again is a change too; the summary names the files.
        input.value = '';
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
      void droppedFiles(event.dataTransfer).then((files) => this.take(files, true));
    });
    this.show();
  }

  /** The source that suits the network (files for a classifier, cells for segmentation) until the user picks one. */
  suggest(classifier: boolean): void {
    if (this.chosen) return;
    this.source.value = classifier ? 'idx' : 'cells';
    this.show();
  }

  /** What to train on, or why it cannot be trained on yet (shown beside the picker). */
  choice(): DataChoice | string {
    const kind = this.source.value as DataKind;
    if (kind === 'cells') return { kind };
    if (this.files.length === 0) return kind === 'idx' ? 'choose the IDX files first (train images and labels; t10k ones for validation)' : 'choose a folder of images first (class folders, or images with labels.csv)';
    return { kind, files: this.files };
  }

  /** A short name of the chosen data, for the train section's line. */
  describe(): string {
    const option = this.source.selectedOptions[0];
    return option ? option.textContent ?? '' : '';
  }

  showError(message: string | undefined): void {
    byId('data-error').textContent = message ?? '';
    this.source.setAttribute('aria-invalid', String(message !== undefined));
  }

  showSummary(text: string): void {
    byId('data-summary').textContent = text;
  }

  /** Files arrived: a drop may switch the source (IDX names mean IDX files); names are checked at once. */
  private take(files: PathedFile[], dropped = false): void {
    if (dropped && files.length > 0) this.source.value = files.every((f) => idxRole(f.path)) ? 'idx' : 'folder';
    this.chosen = true;
    this.files = files;
    this.show();
    this.showError(undefined);
    if (this.source.value === 'idx') {
      try {
        const roles = sortIdxFiles(files);
        this.showSummary(`${roles.has('test-images') ? 'training and t10k' : 'training'} files: ${[...roles.values()].map((f) => f.path).join(', ')}`);
      } catch (error) {
        this.showSummary('');
        this.showError(error instanceof Error ? error.message : String(error));
      }
    } else {
      const images = files.filter((f) => IMAGE.test(f.path)).length;
      const labels = files.find((f) => /(^|\/)labels\.(csv|tsv|txt)$/i.test(f.path));
      this.showSummary(`${images} images${labels ? `, labels from ${labels.path}` : ''} (${files.length} files)`);
      if (images === 0) this.showError(`none of the ${files.length} files is an image (PNG or JPEG); choose the folder that holds the images`);
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

/** The dropped files, folders walked, each with its path inside what was dropped. */
async function droppedFiles(transfer: DataTransfer | null): Promise<PathedFile[]> {
  if (!transfer) return [];
  const entries = Array.from(transfer.items).map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Array.from(transfer.files).map((file) => ({ path: file.name, file }));
  const files: PathedFile[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      files.push({ path: entry.fullPath.replace(/^\//, ''), file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries hands out a directory in batches until it returns none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child);
    }
  };
  for (const entry of entries) await walk(entry);
  return files;
}

const byId = (id: string): HTMLElement => document.getElementById(id)!;
