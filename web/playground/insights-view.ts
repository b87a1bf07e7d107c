/**
 * What the training panel shows beside the step losses: each epoch's training and validation
 * figures (listed and charted), the gauss layers' kernels redrawn as they change, and sample
 * predictions (images with predicted and true labels, or input / true / predicted masks).
 */
import type { InsightEvent, KernelPicture, Picture } from './insight-protocol.js';
import type { TrainEvent } from './train-protocol.js';

interface EpochRow {
  train?: number;
  validation?: number;
}

export class InsightsView {
  private epochs: EpochRow[] = [];
  private validationMetric = '';
  private validationValues: number[] = [];

  reset(): void {
    this.epochs = [];
    this.validationValues = [];
    this.validationMetric = '';
    for (const id of ['train-validation', 'train-kernels', 'train-predictions']) byId(id).replaceChildren();
    this.drawEpochs();
  }

  receive(event: TrainEvent): void {
    switch (event.kind) {
      case 'epoch':
        this.row(event.epoch).train = event.loss;
        this.drawEpochs();
        break;
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

  private row(epoch: number): EpochRow {
    return (this.epochs[epoch] ??= {});
  }

  private validation(event: Extract<InsightEvent, { kind: 'validation' }>): void {
    this.row(event.epoch).validation = event.loss;
    const metrics = Object.entries(event.metrics);
    const item = document.createElement('li');
    item.textContent = `epoch ${event.epoch + 1}: validation loss ${event.loss.toPrecision(4)}${metrics.map(([name, value]) => `, ${name} ${value.toFixed(3)}`).join('')} (${event.images} images)`;
    byId('train-validation').append(item);
    const [headline] = metrics;
    if (headline) {
      this.validationMetric = headline[0];
      this.validationValues[event.epoch] = headline[1];
    }
    this.drawEpochs();
  }

  private kernels(step: number, layers: readonly KernelPicture[]): void {
    const box = byId('train-kernels');
    box.dataset.step = String(step);
    box.replaceChildren(...layers.map((layer) => {
      const caption = `${layer.layer}: ${layer.bases} bases × ${layer.perBasis} kernels of ${layer.size[0]}×${layer.size[1]}, ${step === 0 ? 'before training' : `after step ${step}`}`;
      return figure([canvasOf(layer, 6)], caption, 'kernels');
    }));
  }

  private predictions(event: Extract<InsightEvent, { kind: 'predictions' }>): void {
    const box = byId('train-predictions');
    const title = document.createElement('p');
    title.textContent = `${event.split} images after epoch ${event.epoch + 1}: predicted (probability) / true`;
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
    title.textContent = `${event.split} images after epoch ${event.epoch + 1}: input, true mask, predicted mask`;
    const scale = (p: Picture) => Math.max(1, Math.round(96 / p.width));
    box.replaceChildren(title, ...event.samples.map((s, i) => figure([canvasOf(s.input, scale(s.input)), canvasOf(s.truth, scale(s.truth)), canvasOf(s.predicted, scale(s.predicted))], `image ${i + 1}`, 'sample masks')));
  }

  /** Training and validation loss per epoch, and the validation headline metric. */
  private drawEpochs(): void {
    const canvas = byId('epoch-chart') as HTMLCanvasElement;
    const g = canvas.getContext('2d');
    if (!g) return;
    const { width, height } = canvas;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.strokeStyle = '#ccc';
    g.strokeRect(0.5, 0.5, width - 1, height - 1);
    g.font = '12px system-ui, sans-serif';
    const series = [
      { name: 'training loss', colour: '#2563eb', values: this.epochs.map((e) => e?.train) },
      { name: 'validation loss', colour: '#dc2626', values: this.epochs.map((e) => e?.validation) },
    ];
    const all = series.flatMap((s) => s.values).filter((v): v is number => v !== undefined && Number.isFinite(v));
    g.fillStyle = '#333';
    g.fillText(`loss per epoch: ${series.map((s) => s.name).join(' (blue), ')} (red)`, 8, 15);
    const last = this.validationValues.at(-1);
    if (last !== undefined) g.fillText(`validation ${this.validationMetric}: ${last.toFixed(3)}`, 8, height - 5);
    if (all.length === 0) return;
    const low = Math.min(...all);
    const span = Math.max(...all) - low || 1;
    const pad = 24;
    const count = Math.max(2, this.epochs.length);
    const x = (i: number) => pad + (i / (count - 1)) * (width - 2 * pad);
    const y = (v: number) => height - pad - ((v - low) / span) * (height - 2 * pad - 10);
    for (const s of series) {
      g.strokeStyle = g.fillStyle = s.colour;
      g.beginPath();
      let drawing = false;
      s.values.forEach((v, i) => {
        if (v === undefined) return;
        if (drawing) g.lineTo(x(i), y(v));
        else g.moveTo(x(i), y(v));
        drawing = true;
        g.fillRect(x(i) - 2, y(v) - 2, 4, 4);
      });
      g.stroke();
    }
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

function figure(canvases: readonly HTMLCanvasElement[], caption: string, className: string): HTMLElement {
  const item = document.createElement('figure');
  item.className = className;
  const text = document.createElement('figcaption');
  text.textContent = caption;
  item.append(...canvases, text);
  return item;
}

const byId = (id: string): HTMLElement => document.getElementById(id)!;
