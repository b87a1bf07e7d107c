/**
 * Speed and time left of a run in the page, from when its step events arrive: images per second over
 * the recent steps (the median step, so the first step's shader compilation, a validation pass or a
 * redraw of the kernels does not swing it) and the steps and epoch ends still to come. Pauses do
 * not count. Times are in milliseconds from any clock (performance.now in the page).
 */

/** Recent steps the speed is taken over. */
const WINDOW = 25;

export interface ClockStart {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
}

export class TrainClock {
  private durations: number[] = [];
  private images: number[] = [];
  /** Whether durations[0] is the run's first step, which also compiled the network's kernels. */
  private firstInWindow = true;
  private lastAt: number | undefined;
  private epochEndAt: number | undefined;
  /** Time an epoch's end takes beyond a step (validation, predictions), as last measured. */
  private epochEnd = 0;
  private stepsDone = 0;
  private epochsDone = 0;

  constructor(private readonly run: ClockStart, startedAt: number) {
    this.lastAt = startedAt;
  }

  step(images: number, at: number): void {
    if (this.lastAt !== undefined) {
      const took = at - this.lastAt;
      // The first step after an epoch's end also waited for that end.
      if (this.epochEndAt !== undefined) this.epochEnd = Math.max(0, at - this.epochEndAt - this.medianStep());
      else this.push(took, images);
    }
    this.epochEndAt = undefined;
    this.lastAt = at;
    this.stepsDone++;
  }

  /** The epoch's last step is in; what follows (validation) until the next step counts as its end. */
  epoch(at: number): void {
    this.epochsDone++;
    this.epochEndAt = at;
  }

  /** Paused (or waiting for anything else that is not training): the time until resume() is left out. */
  pause(): void {
    this.lastAt = undefined;
    this.epochEndAt = undefined;
  }

  resume(at: number): void {
    this.lastAt = at;
  }

  /** Images per second over the recent steps, once one step after the first has been timed. */
  imagesPerSecond(): number | undefined {
    const usable = this.usable();
    if (usable.durations.length === 0) return undefined;
    const perStep = usable.images.reduce((a, b) => a + b, 0) / usable.images.length;
    return perStep / (median(usable.durations) / 1000);
  }

  /** Seconds until the run's end at the recent speed, or undefined until there is one. */
  secondsLeft(): number | undefined {
    if (this.usable().durations.length === 0) return undefined;
    const steps = Math.max(0, this.run.epochs * this.run.stepsPerEpoch - this.stepsDone);
    const ends = Math.max(0, this.run.epochs - this.epochsDone);
    return (steps * this.medianStep() + ends * this.epochEnd) / 1000;
  }

  private push(duration: number, images: number): void {
    this.durations.push(duration);
    this.images.push(images);
    if (this.durations.length > WINDOW) {
      this.durations.shift();
      this.images.shift();
      this.firstInWindow = false;
    }
  }

  /** The first step counts only while it is the only one timed. */
  private usable(): { durations: number[]; images: number[] } {
    const skip = this.firstInWindow && this.durations.length > 1 ? 1 : 0;
    return { durations: this.durations.slice(skip), images: this.images.slice(skip) };
  }

  private medianStep(): number {
    const usable = this.usable().durations;
    return usable.length === 0 ? 0 : median(usable);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** "40 s", "3 min", "1 h 20 min": a time left, rounded as a person would say it. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** "8.4", "0.57", "120": images per second with about two significant digits. */
export const formatRate = (rate: number): string => (rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toPrecision(2));
