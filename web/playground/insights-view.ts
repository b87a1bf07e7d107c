/**
 * What the training panel shows beside the charts: each epoch's validation figures, the gauss
 * layers' kernels redrawn as they change, and sample predictions (images with predicted and true
 * labels, or input / true / predicted masks) — of a run, or of a loaded model.
 */
import type { InsightEvent, KernelPicture, Picture } from './insight-protocol.js';
import type { TrainEvent } from './train-protocol.js';

export class InsightsView {
  /** Kernels and predictions come from a loaded model, not a run: their captions say so. */
  private loaded = false;

  reset(loaded = false): void {
    this.loaded = loaded;
    for (const id of ['train-validation', 'train-kernels', 'train-predictions']) byId(id).replaceChildren();
    if (loaded) byId('train-predictions').append(Object.assign(document.createElement('p'), { textContent: 'Pick data that fits the network to see the loaded model’s predictions on it.' }));
  }

  receive(event: TrainEvent): void {
    switch (event.kind) {
      case 'validation':
        this.validation(event);
        break;
      case 'kernels':
        this.kernels(event.step, event.layers);
        break;
      case 'predictions':
        this.predictions(event);
        break;
      case 'masks':
        this.masks(event);
        break;
    }
  }

  private validation(event: Extract<InsightEvent, { kind: 'validation' }>): void {
    const metrics = Object.entries(event.metrics);
    const item = document.createElement('li');
    item.textContent = `epoch ${event.epoch + 1}: validation loss ${event.loss.toPrecision(4)}${metrics.map(([name, value]) => `, ${name} ${value.toFixed(3)}`).join('')} (${event.images} images)`;
    byId('train-validation').append(item);
  }

  /** "after epoch 3", or for a loaded model what it holds. */
  private when(epoch: number): string {
    if (!this.loaded) return `after epoch ${epoch + 1}`;
    return epoch < 0 ? 'by the loaded model' : `by the loaded model (trained ${epoch + 1} epoch${epoch === 0 ? '' : 's'} in the page)`;
  }

  private kernels(step: number, layers: readonly KernelPicture[]): void {
    const box = byId('train-kernels');
    box.dataset.step = String(step);
    box.replaceChildren(...layers.map((layer) => {
      const when = this.loaded ? 'of the loaded model' : step === 0 ? 'before training' : `after step ${step}`;
      const caption = `${layer.layer}: ${layer.bases} bases × ${layer.perBasis} kernels of ${layer.size[0]}×${layer.size[1]}, ${when}`;
      return figure([canvasOf(layer, 6)], caption, 'kernels');
    }));
  }

  private predictions(event: Extract<InsightEvent, { kind: 'predictions' }>): void {
    const box = byId('train-predictions');
    const title = document.createElement('p');
    title.textContent = `${event.split} images ${this.when(event.epoch)}: predicted (probability) / true`;
    box.replaceChildren(title, ...event.samples.map((s) => {
      const right = s.predicted === s.truth;
      const probability = s.probability === null ? '' : ` (${s.probability.toFixed(2)})`;
      const item = figure([canvasOf(s.image, Math.max(1, Math.round(56 / s.image.width)))], `${s.predicted}${probability} / ${s.truth}`, right ? 'sample right' : 'sample wrong');
      item.title = `predicted ${s.predicted}${probability}, true ${s.truth}`;
      return item;
    }));
  }

  private masks(event: Extract<InsightEvent, { kind: 'masks' }>): void {
    const box = byId('train-predictions');
    const title = document.createElement('p');
    title.textContent = `${event.split} images ${this.when(event.epoch)}: input, true mask, predicted mask`;
    const scale = (p: Picture) => Math.max(1, Math.round(96 / p.width));
    box.replaceChildren(title, ...event.samples.map((s, i) => figure([canvasOf(s.input, scale(s.input)), canvasOf(s.truth, scale(s.truth)), canvasOf(s.predicted, scale(s.predicted))], `image ${i + 1}`, 'sample masks', ['input', 'true mask', 'predicted mask'].map((what) => `image ${i + 1}: ${what}`))));
  }
}

/** A canvas showing `picture` with each pixel as a scale × scale block. */
function canvasOf(picture: Picture, scale: number): HTMLCanvasElement {
  const small = document.createElement('canvas');
  small.width = picture.width;
  small.height = picture.height;
  small.getContext('2d')!.putImageData(new ImageData(Uint8ClampedArray.from(picture.rgba), picture.width, picture.height), 0, 0);
  const canvas = document.createElement('canvas');
  canvas.width = picture.width * scale;
  canvas.height = picture.height * scale;
  const g = canvas.getContext('2d')!;
  g.imageSmoothingEnabled = false;
  g.drawImage(small, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** A figure of pictures with its caption; each picture is an image named by `labels` (or the caption). */
function figure(canvases: readonly HTMLCanvasElement[], caption: string, className: string, labels: readonly string[] = [caption]): HTMLElement {
  const item = document.createElement('figure');
  item.className = className;
  canvases.forEach((canvas, i) => {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', labels[i] ?? caption);
  });
  const text = document.createElement('figcaption');
  text.textContent = caption;
  item.append(...canvases, text);
  return item;
}

const byId = (id: string): HTMLElement => document.getElementById(id)!;
