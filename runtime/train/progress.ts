import cliProgress from 'cli-progress';
import type { EpochRecord } from './log.js';
import type { ProgressSink } from './driver.js';
import type { MetricValues } from './metrics.js';

/**
 * Progress of `gnet train`: on a terminal a cli-progress bar per epoch (step, loss, metric, images/s,
 * ETA); elsewhere (a log file, CI) plain lines about every tenth of an epoch. A summary line per epoch.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

type Start = Parameters<ProgressSink['start']>[0];
type Step = Parameters<ProgressSink['step']>[0];

const BAR_FORMAT = 'epoch {epoch}/{epochs} {bar} {value}/{total} | loss {loss} | {metric} | {speed} img/s | ETA {eta_formatted}';

function barProgress(stream: NodeJS.WriteStream): ProgressSink {
  const bar = new cliProgress.SingleBar({ format: BAR_FORMAT, stream, hideCursor: true, barsize: 24, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  let plan: Start | undefined;
  let running = false;
  const open = (epoch: number, done: number) => {
    bar.start(plan!.stepsPerEpoch, done, { epoch: epoch + 1, epochs: plan!.epochs, loss: '-', metric: '-', speed: '-' });
    running = true;
  };
  return {
    start(at) {
      plan = at;
      if (at.epoch < at.epochs) open(at.epoch, at.stepInEpoch);
    },
    step(at) {
      if (!running) open(at.epoch, at.stepInEpoch - 1);
      bar.update(at.stepInEpoch, { loss: at.loss.toFixed(4), metric: metricText(at.metric), speed: formatRate(at.imagesPerSecond) });
    },
    epoch(record) {
      bar.stop();
      running = false;
      stream.write(`${epochLine(record)}\n`);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream): ProgressSink {
  let plan: Start | undefined;
  let epochStarted = performance.now();
  let firstStep = 0;
  return {
    start(at) {
      plan = at;
      firstStep = at.stepInEpoch;
      epochStarted = performance.now();
    },
    step(at) {
      const total = plan!.stepsPerEpoch;
      const every = Math.max(1, Math.round(total / 10));
      if (at.stepInEpoch % every !== 0 && at.stepInEpoch !== total) return;
      const perStep = (performance.now() - epochStarted) / 1000 / Math.max(1, at.stepInEpoch - firstStep);
      const eta = formatSeconds(perStep * (total - at.stepInEpoch));
      stream.write(`epoch ${at.epoch + 1}/${plan!.epochs} step ${at.stepInEpoch}/${total} loss ${at.loss.toFixed(4)} ${metricText(at.metric)} ${formatRate(at.imagesPerSecond)} img/s ETA ${eta}\n`);
    },
    epoch(record) {
      stream.write(`${epochLine(record)}\n`);
      firstStep = 0;
      epochStarted = performance.now();
    },
    stop() {},
  };
}

const metricText = (metric: Step['metric']): string => (metric ? `${metric.name} ${metric.value.toFixed(4)}` : '');

/** "epoch 2/10: loss 0.4321 accuracy 0.8450 | val loss 0.4012 accuracy 0.8561 | lr 0.01 | 12.3 s, 3650 img/s". */
export function epochLine(record: EpochRecord): string {
  const validation = record.validation ? ` | val loss ${record.validation.loss.toFixed(4)}${scalarMetrics(record.validation.metrics)}` : '';
  return `epoch ${record.epoch}: loss ${record.loss.toFixed(4)}${scalarMetrics(record.metrics)}${validation} | lr ${record.lr.toPrecision(3)} | ${record.seconds.toFixed(1)} s, ${formatRate(record.imagesPerSecond)} img/s`;
}

function scalarMetrics(values: MetricValues): string {
  return Object.entries(values)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, value]) => ` ${name} ${value.toFixed(4)}`)
    .join('');
}

/** Whole images per second, or one decimal below 10 (a large network on a CPU). */
export const formatRate = (rate: number): string => (rate >= 10 ? String(Math.round(rate)) : rate.toFixed(1));

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
