/**
 * The two charts of a run: the loss and the headline metric by step, each with its validation
 * curve (a point per epoch), the training epoch means, and a dashed marker at every epoch's end,
 * over the steps the run plans (so the curve grows left to right). Drawn as SVG with the report's
 * plot code, sized to their box (redrawn when it changes, so they never clip), each with a caption
 * in words that is also its accessible name.
 */
import { linePlot, type PlotMarker, type Series } from '../../runtime/train/svg-plot.js';

/** Height of each chart in CSS pixels; the width follows the box. */
const HEIGHT = 220;
/** Steps drawn at most per series: beyond, every k-th (and the last) keeps the SVG small. */
const MAX_POINTS = 600;

type Point = readonly [number, number];

interface Plan {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
}

export class TrainCharts {
  private plan: Plan | undefined;
  private stepLoss: Point[] = [];
  private stepMetric: Point[] = [];
  private metricName = '';
  private epochLoss: Point[] = [];
  private validationLoss: Point[] = [];
  private validationMetric: Point[] = [];
  private lastStep = 0;
  private frame = 0;

  constructor(private readonly boxes: { readonly loss: HTMLElement; readonly metric: HTMLElement; readonly lossCaption: HTMLElement; readonly metricCaption: HTMLElement }) {
    new ResizeObserver(() => this.draw()).observe(boxes.loss);
    this.draw();
  }

  /** A new run: empty charts over its planned steps. */
  start(plan: Plan): void {
    this.clear();
    this.plan = plan;
    this.later();
  }

  clear(): void {
    this.plan = undefined;
    this.stepLoss = [];
    this.stepMetric = [];
    this.metricName = '';
    this.epochLoss = [];
    this.validationLoss = [];
    this.validationMetric = [];
    this.lastStep = 0;
    this.later();
  }

  step(step: number, loss: number, metric: { readonly name: string; readonly value: number } | undefined): void {
    this.lastStep = step;
    this.stepLoss.push([step, loss]);
    if (metric) {
      this.metricName = metric.name;
      this.stepMetric.push([step, metric.value]);
    }
    this.later();
  }

  epoch(loss: number): void {
    this.epochLoss.push([this.lastStep, loss]);
    this.later();
  }

  validation(loss: number, metrics: Readonly<Record<string, number>>): void {
    this.validationLoss.push([this.lastStep, loss]);
    const name = this.metricName in metrics ? this.metricName : Object.keys(metrics)[0];
    if (name !== undefined) {
      this.metricName ||= name;
      this.validationMetric.push([this.lastStep, metrics[name]!]);
    }
    this.later();
  }

  /** Draws now what a pending frame would: a run that has ended shows its last step and validation at once. */
  settle(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.draw();
  }

  /** Redraws at the next frame, once however many events came in meanwhile. */
  private later(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const metric = this.metricName || 'metric';
    const lossText = this.lossCaption();
    const metricText = this.metricCaption(metric);
    this.boxes.lossCaption.textContent = lossText;
    this.boxes.metricCaption.textContent = metricText;
    this.render(this.boxes.loss, {
      title: 'loss',
      yLabel: 'loss',
      description: lossText,
      series: [
        { name: 'training, per step', points: thin(this.stepLoss), dots: false },
        { name: 'validation', points: this.validationLoss, dots: true },
        { name: 'training, epoch mean', points: this.epochLoss, dots: true },
      ],
    });
    this.render(this.boxes.metric, {
      title: metric,
      yLabel: metric,
      description: metricText,
      series: [
        { name: 'training, epoch so far', points: thin(this.stepMetric), dots: false },
        { name: 'validation', points: this.validationMetric, dots: true },
      ],
    });
  }

  private render(box: HTMLElement, chart: { title: string; yLabel: string; description: string; series: Series[] }): void {
    const width = box.clientWidth;
    // A hidden tab has no width; the resize observer draws it once it is shown.
    if (width === 0) return;
    const total = this.plan ? this.plan.epochs * this.plan.stepsPerEpoch : undefined;
    box.innerHTML = linePlot({ ...chart, xLabel: 'step', width, height: HEIGHT, integerX: true, xRange: total ? [0, total] : undefined, markers: this.markers() });
  }

  /** A marker at the end of every planned epoch. */
  private markers(): PlotMarker[] {
    if (!this.plan || this.plan.epochs < 2) return [];
    const { epochs, stepsPerEpoch } = this.plan;
    return Array.from({ length: epochs - 1 }, (_, e) => ({ x: (e + 1) * stepsPerEpoch, label: `epoch ${e + 1}` }));
  }

  private lossCaption(): string {
    const [first, last] = [this.stepLoss[0], this.stepLoss.at(-1)];
    if (!first || !last) return 'Loss by step, with the validation loss after each epoch, appears here while training.';
    const validation = this.validationLoss.length > 0 ? `; validation ${fmt(this.validationLoss.at(-1)![1])} after epoch ${this.validationLoss.length}` : '';
    return `Loss: training ${fmt(last[1])} at ${this.where()} (${fmt(first[1])} at step ${first[0]})${validation}.`;
  }

  private metricCaption(metric: string): string {
    const last = this.stepMetric.at(-1);
    if (!last) return 'The headline metric by step, with its validation value after each epoch, appears here while training.';
    const best = this.validationMetric.length > 0 ? `; validation ${fmt(this.validationMetric.at(-1)![1])} after epoch ${this.validationMetric.length}` : '';
    return `${metric[0]!.toUpperCase()}${metric.slice(1)}: training ${fmt(last[1])} over the epoch so far at ${this.where()}${best}.`;
  }

  private where(): string {
    if (!this.plan) return `step ${this.lastStep}`;
    const { epochs, stepsPerEpoch } = this.plan;
    return `step ${this.lastStep} of ${epochs * stepsPerEpoch}, epoch ${Math.min(epochs, Math.ceil(this.lastStep / stepsPerEpoch) || 1)} of ${epochs}`;
  }
}

const fmt = (value: number) => (Math.abs(value) >= 1000 || (Math.abs(value) < 0.001 && value !== 0) ? value.toExponential(2) : value.toPrecision(3));

/** At most MAX_POINTS of `points`: every k-th, and always the last. */
function thin(points: readonly Point[]): readonly Point[] {
  if (points.length <= MAX_POINTS) return points;
  const every = Math.ceil(points.length / MAX_POINTS);
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}
