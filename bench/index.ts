/**
 * `npm run bench`: every figure the README quotes, in one run, so ratios compare like with like.
 * Speeds are medians of repeated runs after a warm-up; the machine is shared, so compare ratios.
 */
import { cpus } from 'node:os';
import { benchFrontend } from './frontend.js';
import { benchGaussKernels } from './gauss-kernels.js';
import { benchLsp, lspLines } from './lsp.js';
import { benchPlayground, playgroundLines } from './playground.js';
import { LARGE_CONV, rawConvGflops } from './conv-throughput.js';
import { benchTorchStep } from './torch-step.js';
import { benchBatchAssembly, benchTorchEngine, defaultThreads } from './torch-engine.js';
import type { TrainFlags } from '../runtime/train/config.js';
import { benchTrainStep, specPath, withBackend } from './train-step.js';

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const line = (s: string) => process.stdout.write(s + '\n');

line(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`);

const fe = await benchFrontend();
line(`\nfront end${fe.built ? '' : ' (TypeScript sources; npm run build measures the bundle)'} (${fe.blocks} IR nodes, generated chain): parse+elaborate ${fe.compileMs.toFixed(0)} ms + analyses ${fe.analyzeMs.toFixed(0)} ms + JSON report ${fe.jsonMs.toFixed(0)} ms = ${fe.totalMs.toFixed(0)} ms; terminal table of all rows ${fe.tableMs.toFixed(0)} ms`);
line(`gnet report specs/vgg16.gnet, whole process: ${fe.vgg16ReportProcessMs === null ? 'n/a (npm run build first)' : fe.vgg16ReportProcessMs.toFixed(0) + ' ms'}`);

line('');
for (const text of lspLines(await benchLsp())) line(text);

const kernels = await benchGaussKernels();
line(`\ngauss kernel bank B=8 K=3 7×7, forward+backward (cpu): ${kernels.msPerStep.toFixed(2)} ms`);

const only = process.argv.slice(2);
for (const backend of ['wasm', 'webgpu', 'cpu', 'node', 'cuda']) {
  if (only.length && !only.includes(backend)) continue;
  const figures = await withBackend(backend, async () => {
    const raw = await rawConvGflops(backend, LARGE_CONV, 3);
    const ref = await benchTrainStep(backend, specPath('reference.gnet'), undefined, 45, backend === 'cpu' ? 2 : 5);
    // The Gaussian U-Net at 128×128, batch 8, is too slow for plain JavaScript to be worth timing.
    const unet = backend === 'cpu' ? null : await benchTrainStep(backend, specPath('gauss-unet.gnet'), 'GaussUNet', 8, 3);
    return { raw, ref, unet };
  });
  if (!figures) {
    line(`\n${backend}: not available here (gnet backends says why)`);
    continue;
  }
  line(`\n${backend}: raw conv2d forward ${figures.raw.toFixed(2)} GFLOP/s (batch 8, 64×64×64 → 64, 3×3)`);
  for (const f of [figures.ref, figures.unet]) {
    if (!f) continue;
    line(`  ${f.network} batch ${f.batch}: ${f.msPerStep.toFixed(0)} ms/step, ${f.imagesPerSecond.toFixed(1)} images/s, ${f.gflops.toFixed(2)} GFLOP/s effective (${((100 * f.gflops) / figures.raw).toFixed(0)} % of raw conv), peak ${mib(f.peakBytes)}`);
  }
}

// PyTorch through the torch backend's Python, the same steps, one thread and every thread.
if (!only.length || only.includes('torch')) {
  const threads = [...new Set([1, cpus().length])];
  const rows = [];
  for (const n of threads) {
    rows.push(await benchTorchStep(specPath('reference.gnet'), undefined, 45, n), await benchTorchStep(specPath('gauss-unet.gnet'), 'GaussUNet', 8, n, 3));
  }
  if (rows.every((r) => r === null)) line('\ntorch: not available here (gnet backends says why)');
  else {
    line('\ntorch (PyTorch on the CPU, gnet\'s Adam rule):');
    for (const f of rows) if (f) line(`  ${f.network} batch ${f.batch}, ${f.backend}: ${f.msPerStep.toFixed(0)} ms/step, ${f.imagesPerSecond.toFixed(1)} images/s, ${f.gflops.toFixed(2)} GFLOP/s effective`);
    // The engine as gnet train drives it: real batches, one step per request; its default threads beside one.
    const engineRuns: [string, string | undefined, TrainFlags][] = [
      [specPath('reference.gnet'), undefined, { trainSize: 900, validationSplit: 0.1 }],
      [specPath('gauss-unet.gnet'), 'GaussUNet', { data: 'synthetic-cells:96', validationSplit: 0.1, augment: true }],
    ];
    line(`torch engine (gnet train --backend torch: real batches from data.bin, one step per request; default threads = ${defaultThreads()}, the CPUs this process may use):`);
    for (const [spec, network, flags] of engineRuns) {
      const [byDefault, single] = [await benchTorchEngine(spec, network, flags, undefined), await benchTorchEngine(spec, network, flags, 1)];
      if (byDefault && single) line(`  ${byDefault.network} batch ${byDefault.batch}: ${byDefault.msPerStep.toFixed(1)} ms/step at ${byDefault.threads} threads, ${single.msPerStep.toFixed(1)} ms/step at 1 thread (${(single.msPerStep / byDefault.msPerStep).toFixed(2)}×)`);
    }
    const assembly = await benchBatchAssembly(specPath('gauss-unet.gnet'), 'GaussUNet', { data: 'synthetic-cells:96', augment: true });
    if (assembly) line(`  batch assembly, GaussUNet batch 8 (128×128×3, augmented): ${assembly.vectorised.toFixed(2)} ms gathered at once, ${assembly.perSample.toFixed(2)} ms sample by sample as before (${(assembly.perSample / assembly.vectorised).toFixed(1)}×)`);
  }
}

// 3-D: the Gaussian 3-D U-Net and its free-form twin on one 32³ patch, batch 2, on wasm and on torch (one thread, every thread).
if (!only.length || only.includes('volumes')) {
  line('\nvolumes (specs/unet3d.gnet, 32³×1 patches, batch 2):');
  for (const network of ['GaussUNet3D', 'UNet3D']) {
    const wasm = await withBackend('wasm', () => benchTrainStep('wasm', specPath('unet3d.gnet'), network, 2, 2));
    const torch = await Promise.all([...new Set([1, cpus().length])].map((n) => benchTorchStep(specPath('unet3d.gnet'), network, 2, n, 3)));
    const figures = [wasm, ...torch].filter((f) => f !== null);
    line(`  ${network}: ${figures.map((f) => `${f.backend} ${f.msPerStep.toFixed(0)} ms/step (${f.gflops.toFixed(2)} GFLOP/s)`).join('; ')}`);
  }
}

// The playground in headless Chromium: keystroke → report, and training in the page against gnet train.
if (!only.length || only.includes('playground')) {
  line('');
  for (const text of playgroundLines(await benchPlayground())) line(text);
}
