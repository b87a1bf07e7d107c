import { DATA_ERRORS, dataError } from './codes.js';
import type { PatchSampling } from './patches.js';
import { splitSamples } from './split.js';
import { SYNTHETIC_VOLUMES_SEED, SYNTHETIC_VOLUME_SIZE, generateVolumesStore } from './synthetic-volumes.js';
import type { Dataset, VolumeShape } from './types.js';
import { loadVolumeFolder } from './volume-folder.js';
import { makeVolumeDataset } from './volume-dataset.js';
import { type VolumeStore, checkVolumes } from './volume-store.js';

/** The volumes of a run and its split, for a trainer in another process (the torch backend). */
export interface VolumeSamples {
  readonly kind: 'volumes';
  readonly pool: VolumeStore;
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test?: VolumeStore;
  readonly patch: VolumeShape;
  readonly sampling: PatchSampling;
}

export interface OpenedVolumes {
  readonly name: string;
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test?: Dataset;
  readonly samples: VolumeSamples;
  readonly counts: { readonly pool: number; readonly train: number; readonly validation: number; readonly test: number };
}

export type VolumeSource = { readonly kind: 'folder'; readonly dir: string } | { readonly kind: 'synthetic-volumes'; readonly count: number };

export interface VolumeOpenOptions {
  readonly patch: VolumeShape;
  readonly classes: number;
  readonly sampling: PatchSampling;
  readonly trainSize?: number;
  readonly validationSplit?: number;
  readonly seed: number;
}

/** Volumes split into training and validation volumes (seeded, as images are), each seen through patches. */
export function openVolumes(source: VolumeSource, o: VolumeOpenOptions): OpenedVolumes {
  const { name, pool, test } = loadVolumes(source, o);
  for (const store of [pool, test]) if (store) checkVolumes(store, o.patch[3], o.classes, name);
  const split = splitSamples({ count: pool.volumes.length, validationSplit: o.validationSplit, trainSize: o.trainSize, seed: o.seed });
  const all = (store: VolumeStore) => Int32Array.from(store.volumes, (_, i) => i);
  const dataset = (store: VolumeStore, indices: Int32Array) => makeVolumeDataset(store, indices, o.patch, o.sampling);
  return {
    name,
    train: dataset(pool, split.train),
    validation: dataset(pool, split.validation),
    test: test && dataset(test, all(test)),
    samples: { kind: 'volumes', pool, train: split.train, validation: split.validation, test, patch: o.patch, sampling: o.sampling },
    counts: { pool: pool.volumes.length, train: split.train.length, validation: split.validation.length, test: test?.volumes.length ?? 0 },
  };
}

function loadVolumes(source: VolumeSource, o: VolumeOpenOptions): { name: string; pool: VolumeStore; test?: VolumeStore } {
  if (source.kind === 'folder') {
    const data = loadVolumeFolder(source.dir);
    return { name: `folder ${source.dir}`, pool: data.train, test: data.test };
  }
  const options = { size: SYNTHETIC_VOLUME_SIZE, channels: o.patch[3], classes: o.classes, seed: SYNTHETIC_VOLUMES_SEED };
  const testCount = Math.ceil(source.count / 5);
  return { name: `synthetic-volumes (${source.count} + ${testCount} test, ${options.size}³)`, pool: generateVolumesStore(options, source.count), test: generateVolumesStore(options, testCount, source.count) };
}

/** A network on images given volumes, or on volumes given images. */
export function volumeMismatch(source: string, networkOnVolumes: boolean): Error {
  return networkOnVolumes
    ? dataError(DATA_ERRORS.volumeInput, `the network takes volumes (D x H x W x C), but ${source} holds images; train it on synthetic-volumes[:N] or folder:DIR with images/ and masks/ of .nii(.gz) volumes`)
    : dataError(DATA_ERRORS.volumeInput, `${source} holds volumes, but the network takes images (H x W x C); give it a volume input (input ct: 32 x 32 x 32 x 1)`);
}
