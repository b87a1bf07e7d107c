import type { VolumeSamples } from '../../runtime/data/source-volumes.js';
import type { VolumeStore } from '../../runtime/data/volume-store.js';
import type { ArraySpec } from './data-file.js';
import { DATA_FILE_VERSION } from './data-file.js';

/**
 * The volume part of data.bin: every volume's standardised voxels (float32) and mask (uint8)
 * end to end, their shapes [n, 4] (gnet_torch/volumes.py finds each by the running sum), the
 * split's indices, the patch and how patches are drawn; gnet_torch/sampling.py draws each epoch's
 * order and each patch's corner as runtime/data/patches.ts does. Only volumes the splits use are written.
 */
export function volumeArrays(samples: VolumeSamples, seed: number): { header: Record<string, unknown>; arrays: Record<string, ArraySpec> } {
  const used = [...new Set([...samples.train, ...samples.validation])].sort((a, b) => a - b);
  const position = new Map(used.map((old, i) => [old, i]));
  const remap = (indices: Int32Array) => Int32Array.from(indices, (old) => position.get(old)!);
  const pool: VolumeStore = { volumes: used.map((i) => samples.pool.volumes[i]!) };
  return {
    header: { format: 'gnet-torch-data', version: DATA_FILE_VERSION, kind: 'volumes', task: 'segmentation', inputShape: samples.patch, seed, sampling: samples.sampling },
    arrays: {
      ...storeArrays(pool, ''),
      train: { dtype: 'int32', shape: [samples.train.length], data: remap(samples.train) },
      validation: { dtype: 'int32', shape: [samples.validation.length], data: remap(samples.validation) },
      ...(samples.test ? storeArrays(samples.test, 'test') : {}),
    },
  };
}

function storeArrays(store: VolumeStore, prefix: string): Record<string, ArraySpec> {
  const name = (base: string) => (prefix ? `${prefix}${base[0]!.toUpperCase()}${base.slice(1)}` : base);
  const voxels = new Float32Array(store.volumes.reduce((n, v) => n + v.voxels.length, 0));
  const labels = new Uint8Array(store.volumes.reduce((n, v) => n + v.labels.length, 0));
  let at = 0;
  let labelAt = 0;
  for (const v of store.volumes) {
    voxels.set(v.voxels, at);
    labels.set(v.labels, labelAt);
    at += v.voxels.length;
    labelAt += v.labels.length;
  }
  return {
    [name('voxels')]: { dtype: 'float32', shape: [voxels.length], data: voxels },
    [name('labels')]: { dtype: 'uint8', shape: [labels.length], data: labels },
    [name('shapes')]: { dtype: 'int32', shape: [store.volumes.length, 4], data: Int32Array.from(store.volumes.flatMap((v) => v.shape)) },
  };
}
